// The $GOROOT/lib/time/zoneinfo.zip of a Go release, made from a Debian tzdata folder: Debian's
// Go package leaves the file out (it uses /usr/share/zoneinfo), but the official golang images
// have it and Dockerfiles copy it into scratch images (`ENV ZONEINFO=/zoneinfo.zip`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The zone files under dir (TZif data), by name (Europe/Berlin), as Go's zip has them. */
function zoneFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(join(dir, prefix)).sort()) {
    const name = prefix ? `${prefix}/${entry}` : entry;
    // posix/ and right/ are copies and leap-second variants, which Go's zip does not carry.
    if (!prefix && (entry === 'posix' || entry === 'right')) continue;
    const stat = statSync(join(dir, name));
    if (stat.isDirectory()) files.push(...zoneFiles(dir, name));
    else {
      const data = readFileSync(join(dir, name));
      if (data.subarray(0, 4).toString('latin1') === 'TZif') files.push({ name, data });
    }
  }
  return files;
}

/**
 * A zip archive of the zone files, stored without compression: Go's time package reads only
 * stored entries from it (loadTzinfoFromZip).
 */
export function zoneinfoZip(zoneinfoDir) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const files = zoneFiles(zoneinfoDir);
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
