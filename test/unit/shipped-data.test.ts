/**
 * The data shipped with the extension (Go releases, image sizes) and the core's lookups on it:
 * the files hold what the lookups expect, and the lookups answer as Go's support policy and the
 * image families say.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  endingMinor,
  GO_RELEASE_DATA,
  goReleaseLine,
  goReleaseLines,
  goVersionStatus,
  supportedGoLines,
} from '../../server/src/core/data/go-releases';
import {
  formatSize,
  IMAGE_SIZE_DATA,
  imageSizeByKey,
  imageSizeOf,
  sizeChange,
  sizeLabel,
} from '../../server/src/core/facts/image-sizes';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('Go release data', () => {
  test('is dated, says where it comes from, and lists every line from 1.0, newest first', () => {
    assert.match(GO_RELEASE_DATA.date, DATE);
    assert.ok(GO_RELEASE_DATA.source.length > 20);
    const lines = goReleaseLines();
    const newest = Number(lines[0].minor.split('.')[1]);
    assert.deepEqual(
      lines.map((l) => l.minor),
      Array.from({ length: newest + 1 }, (_, i) => `1.${newest - i}`),
    );
    for (const line of lines) {
      assert.match(line.released, DATE, line.minor);
      assert.ok(
        line.latest.startsWith(`${line.minor}.`),
        `${line.latest} is a ${line.minor} patch`,
      );
      if (line.latestDate !== undefined) {
        assert.match(line.latestDate, DATE);
        assert.ok(line.latestDate >= line.released, `${line.latest} after ${line.minor}`);
      }
    }
    // Each line ends when the one two releases later comes out, which is not before the data.
    assert.ok(lines[0].released <= GO_RELEASE_DATA.date);
  });

  test('supports the two newest lines', () => {
    const [newest, second] = goReleaseLines();
    assert.deepEqual(supportedGoLines(), [newest, second]);
    assert.equal(endingMinor('1.26'), '1.28');
    assert.equal(goReleaseLine(second.minor), second);
    assert.equal(goReleaseLine('0.9'), undefined);
  });

  test('places the versions golang tags name', () => {
    const [newest, second, third] = goReleaseLines();
    // Out of support forever: Go 1.15 ended with Go 1.17's release.
    const old = goVersionStatus('1.15.2');
    assert.equal(old.kind, 'unsupported');
    assert.ok(old.kind === 'unsupported');
    assert.equal(old.line.minor, '1.15');
    assert.equal(old.endedBy.minor, '1.17');
    assert.equal(old.endedBy.released, '2021-08-16');
    const ended = goVersionStatus(third.minor);
    assert.ok(ended.kind === 'unsupported' && ended.endedBy === newest);
    // A floating minor tag follows its patches; the newest patch is current.
    assert.equal(goVersionStatus(second.minor).kind, 'current');
    assert.equal(goVersionStatus(second.latest).kind, 'current');
    assert.deepEqual(goVersionStatus(`${second.minor}.0`), {
      kind: 'old-patch',
      line: second,
      prerelease: false,
    });
    assert.deepEqual(goVersionStatus(`${newest.minor}rc1`), {
      kind: 'old-patch',
      line: newest,
      prerelease: true,
    });
    // A patch the data does not know yet is taken as current, a line it does not know as newer.
    const next = `${second.minor}.${Number(second.latest.split('.')[2]) + 1}`;
    assert.equal(goVersionStatus(next).kind, 'current');
    assert.equal(goVersionStatus(endingMinor(newest.minor)).kind, 'newer');
    assert.equal(goVersionStatus(`${endingMinor(newest.minor)}rc1`).kind, 'newer');
    assert.deepEqual(goVersionStatus('1'), { kind: 'current', line: newest });
    assert.equal(goVersionStatus('2').kind, 'newer');
    for (const junk of ['', 'latest', 'alpine', '1.x', '0.9']) {
      assert.equal(goVersionStatus(junk).kind, 'unknown', junk);
    }
  });
});

describe('image size data', () => {
  test('is dated, says what it measures, and covers every family the lookups name', () => {
    assert.match(IMAGE_SIZE_DATA.date, DATE);
    assert.match(IMAGE_SIZE_DATA.measure, /compressed/i);
    for (const key of [
      'golang',
      'golang-alpine',
      'debian-slim',
      'distroless-base',
      'alpine',
      'distroless-static',
      'scratch',
    ]) {
      const size = imageSizeByKey(key);
      assert.ok(size, key);
      assert.ok(Number.isInteger(size.bytes) && size.bytes >= 0, key);
    }
    assert.equal(imageSizeByKey('scratch')?.bytes, 0);
    assert.ok(imageSizeByKey('golang')!.bytes > 50 * imageSizeByKey('distroless-static')!.bytes);
  });

  test('maps images to their family', () => {
    const key = (image: string) => imageSizeOf(image)?.key;
    assert.equal(key('golang:1.24'), 'golang');
    assert.equal(key('golang:1.24.3-bookworm'), 'golang');
    assert.equal(key('docker.io/library/golang:1.24-alpine3.20'), 'golang-alpine');
    assert.equal(key('golang:alpine'), 'golang-alpine');
    assert.equal(key('golang:1.24-windowsservercore-ltsc2022'), undefined);
    assert.equal(key('ghcr.io/acme/golang:1.24'), undefined);
    assert.equal(key('gcr.io/distroless/static-debian13:nonroot'), 'distroless-static');
    assert.equal(key('gcr.io/distroless/static'), 'distroless-static');
    assert.equal(key('gcr.io/distroless/base-debian12'), 'distroless-base');
    assert.equal(key('gcr.io/distroless/cc-debian12'), undefined);
    assert.equal(key('scratch'), 'scratch');
    assert.equal(key('alpine:3.20'), 'alpine');
    assert.equal(key('debian:bookworm-slim'), 'debian-slim');
    assert.equal(key('debian:bookworm'), undefined);
    assert.equal(key('ubuntu:24.04'), undefined);
    assert.equal(sizeLabel(imageSizeByKey('distroless-static')!), 'distroless static');
  });

  test('writes sizes for people and the change between two images', () => {
    assert.equal(formatSize(312_305_560), '≈ 310 MB');
    assert.equal(formatSize(75_169_503), '≈ 75 MB');
    assert.equal(formatSize(29_780_765), '≈ 30 MB');
    assert.equal(formatSize(3_846_391), '≈ 4 MB');
    assert.equal(formatSize(400_000), '< 1 MB');
    assert.equal(formatSize(1_234_000_000), '≈ 1200 MB');
    assert.equal(formatSize(0), '0 MB');
    assert.equal(formatSize(Number.NaN), '0 MB');
    const golang = imageSizeByKey('golang')!;
    const scratch = imageSizeByKey('scratch')!;
    assert.equal(
      sizeChange('golang:1.24', 'scratch'),
      `${formatSize(golang.bytes)} → ${formatSize(scratch.bytes)}`,
    );
    assert.equal(sizeChange('golang:1.24', 'ubuntu:24.04'), undefined);
    assert.equal(sizeChange(undefined, 'scratch'), undefined);
  });
});
