/**
 * The Go source scanner and what the conversion reads from it: imports and their names, the cgo
 * preamble, build constraints and embeds, calls with their arguments, and, per program, the
 * paths it names, where it writes, what it starts, what it listens on.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanGoFile } from '../../server/src/core/model/go-source';
import { programNeeds } from '../../server/src/core/facts/program-needs';
import { cgoModuleOf } from '../../server/src/core/facts/cgo-need';
import type { ProgramSources } from '../../server/src/core/facts/program-sources';

function sources(files: Record<string, string>): ProgramSources {
  return {
    complete: true,
    files: Object.entries(files).map(([path, text]) => ({
      path,
      imagePath: `/app/${path}`,
      facts: scanGoFile(text),
    })),
  };
}

describe('scanning a Go file', () => {
  const text = [
    '// Package main serves the shop.',
    'package main',
    '',
    '/*',
    '#cgo LDFLAGS: -lsqlite3 -lm',
    '#cgo linux pkg-config: vips',
    '#include <stdlib.h>',
    '*/',
    'import "C"',
    '',
    'import (',
    '\t"html/template"',
    '\tioutil "io/ioutil"',
    '\t"os"',
    '\t_ "time/tzdata"',
    '\t"github.com/gin-gonic/gin"',
    '\tlog "github.com/sirupsen/logrus/v2"',
    ')',
    '',
    '//go:embed static/*',
    'var assets string',
    '',
    'func main() {',
    '\tt := template.Must(template.ParseGlob("templates/*.html"))',
    '\tb, _ := ioutil.ReadFile(`conf/app.ini`)',
    '\tf, _ := os.OpenFile("./data/"+name, os.O_CREATE|os.O_RDWR, 0o644)',
    '\tgin.Default().LoadHTMLGlob("views/**/*")',
    '\tl := &lumberjack.Logger{Filename: "logs/app.log", MaxSize: 3}',
    '\tlog.Println("caf\\u00e9\\n", \'x\', t, b, f, l)',
    '}',
  ].join('\n');
  const facts = scanGoFile(text);

  test('the package, the imports, cgo and its libraries, the embeds', () => {
    assert.equal(facts.packageName, 'main');
    assert.deepEqual(facts.imports, [
      'C',
      'html/template',
      'io/ioutil',
      'os',
      'time/tzdata',
      'github.com/gin-gonic/gin',
      'github.com/sirupsen/logrus/v2',
    ]);
    assert.equal(facts.importsC, true);
    assert.deepEqual(facts.cgoLibraries, ['sqlite3', 'm', 'vips']);
    assert.deepEqual(facts.embeds, ['static/*']);
    assert.equal(facts.ignored, false);
  });

  test('calls name their callee by import path, and say what each argument is', () => {
    const call = (callee: string) => facts.calls.find((c) => c.callee === callee);
    assert.equal(call('html/template.ParseGlob')?.args[0].literal, 'templates/*.html');
    // An aliased import and a raw string.
    assert.equal(call('io/ioutil.ReadFile')?.args[0].literal, 'conf/app.ini');
    const open = call('os.OpenFile');
    assert.equal(open?.args[0].prefix, './data/');
    assert.equal(open?.args[0].literal, undefined);
    assert.match(open?.args[1].text ?? '', /os\.O_CREATE\|os\.O_RDWR/);
    // A method of a value the scanner cannot type.
    assert.equal(call('.LoadHTMLGlob')?.args[0].literal, 'views/**/*');
    // The package name of a /v2 import is the element before the version.
    assert.equal(call('github.com/sirupsen/logrus/v2.Println')?.args[0].literal, 'café\n');
    // A function declaration is not a call.
    assert.equal(call('main'), undefined);
  });

  test('literals know their call, their key, and whether they are a whole argument', () => {
    const literal = (value: string) => facts.literals.find((l) => l.value === value);
    assert.equal(literal('logs/app.log')?.key, 'Filename');
    assert.equal(literal('conf/app.ini')?.whole, true);
    assert.equal(literal('./data/')?.whole, false);
    assert.equal(literal('./data/')?.callee, 'os.OpenFile');
  });

  test('a file for no build, and input that is not Go, give facts without throwing', () => {
    assert.equal(scanGoFile('//go:build ignore\n\npackage main\n').ignored, true);
    assert.equal(scanGoFile('// +build ignore\n\npackage main\n').ignored, true);
    assert.equal(scanGoFile('//go:build !ignore\n\npackage main\n').ignored, false);
    for (const junk of [
      '',
      'package',
      'import (',
      '"unterminated',
      'f(((((',
      '`raw',
      '\u0000\uffff',
    ]) {
      assert.doesNotThrow(() => scanGoFile(junk));
    }
    // Deep nesting stays linear: each call reads a bounded number of its tokens.
    const deep = 'package main\nfunc main() { ' + 'f('.repeat(20000) + ')'.repeat(20000) + ' }\n';
    assert.equal(scanGoFile(deep).calls.length, 20000);
  });
});

describe('what a program needs at run time', () => {
  test('paths it names, by function: read, created, or just a string', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("os"; "github.com/joho/godotenv")',
          'func main() {',
          '\tgodotenv.Load()',
          '\tos.ReadFile("conf/app.ini")',
          '\tos.WriteFile("data/state.json", nil, 0o644)',
          '\tprintln("hello")',
          '}',
        ].join('\n'),
      }),
    );
    const named = (path: string) => needs.namedPaths.find((p) => p.path === path);
    assert.deepEqual(
      { ...named('.env'), where: undefined },
      { path: '.env', access: true, reads: true, whole: true, where: undefined },
    );
    assert.equal(named('conf/app.ini')?.reads, true);
    assert.equal(named('data/state.json')?.reads, false);
    assert.equal(named('data/state.json')?.access, true);
    assert.equal(named('hello')?.access, false);
  });

  test("godotenv's autoload import reads .env at start, like godotenv.Load()", () => {
    const needs = programNeeds(
      sources({
        'cmd/api/main.go': [
          'package main',
          'import _ "github.com/joho/godotenv/autoload"',
          'func main() {}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.namedPaths.map((p) => [p.path, p.reads, p.where]),
      [['.env', true, 'cmd/api/main.go']],
    );
  });

  test('embedded files, URL paths and strings expanded at run time are no files to carry', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("embed"; "io/fs"; "net/url"; "os"; "strings")',
          '//go:embed assets/*',
          'var assets embed.FS',
          '//go:embed templates',
          'var views embed.FS',
          'func main() {',
          '\tsub, _ := fs.Sub(assets, "assets")',
          '\tfs.ReadFile(sub, "index.html")',
          '\tviews.ReadDir("templates/views")',
          '\tassets.Open("assets/app.js")',
          '\tloader.Open("conf/site.yaml")',
          '\t_ = url.URL{Path: "v3/videos"}',
          '\t_ = Options{ConfigPath: "conf/app.yaml"}',
          '\tstrings.TrimLeft(x, "* ")',
          '\tos.Open("-")',
          '\tos.ReadFile("$HOME/.app/config")',
          '}',
        ].join('\n'),
      }),
    );
    const read = needs.namedPaths.filter((p) => p.access).map((p) => p.path);
    assert.deepEqual(read.sort(), ['conf/app.yaml', 'conf/site.yaml']);
    const named = needs.namedPaths.map((p) => p.path);
    for (const text of ['* ', '-', '$HOME/.app/config']) assert.ok(!named.includes(text), text);
  });

  test('a dialled port, a field path, an extension joined to a name: nothing to carry', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("net"; "net/http"; "os")',
          'func main() {',
          '\ttarget := host + ":80"',
          '\tnet.Dial("tcp", target)',
          '\t_ = corev1.ObjectFieldSelector{FieldPath: "metadata.name"}',
          '\tos.WriteFile(out + ".tmp", nil, 0o600)',
          '\t_ = Config{TemplatePath: "views"}',
          '\thttp.ListenAndServe(":9115", nil)',
          '}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.listens.map((l) => l.port),
      [9115],
    );
    const named = needs.namedPaths.map((p) => p.path);
    assert.ok(
      !named.includes('metadata.name') ||
        !needs.namedPaths.some((p) => p.path === 'metadata.name' && p.access),
    );
    assert.ok(!named.includes('.tmp'));
    assert.ok(needs.namedPaths.some((p) => p.path === 'views' && p.access));
  });

  test('a string compared with a value is a route, not a path; `name :=` is no keyed field', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("net/http"; "os")',
          'func handle(w http.ResponseWriter, r *http.Request) {',
          '	urlPath := r.URL.Path',
          '	if urlPath == "/index.html" || "/app.css" != urlPath {',
          '	}',
          '	switch urlPath {',
          '	case "/health":',
          '	}',
          '	dataPath := "/var/lib/app"',
          '	_ = Config{TemplatePath: "/srv/views"}',
          '	os.Open("/etc/app.conf")',
          '}',
        ].join('\n'),
      }),
    );
    const named = needs.namedPaths.map((p) => p.path);
    assert.deepEqual([...new Set(named)], ['/var/lib/app', '/srv/views', '/etc/app.conf']);
    const used = needs.namedPaths.filter((p) => p.access).map((p) => p.path);
    assert.deepEqual(used, ['/srv/views', '/etc/app.conf']);
  });

  test('a regular expression is no path, unless a file function takes it', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("os"; "regexp"; "path/filepath")',
          'var any = regexp.MustCompile(".*")',
          'var version = regexp.MustCompile("v1")',
          'func main() {',
          '\tmatch(".+_test")',
          '\tmatch("^build/")',
          '\tmatch("(api|web)/static")',
          '\tmatch("conf/*.yaml")',
          '\tfilepath.Glob(".*")',
          '\tos.ReadFile("conf/app.ini")',
          '}',
        ].join('\n'),
      }),
    );
    const paths = needs.namedPaths.map((p) => `${p.path}${p.access ? ' (file function)' : ''}`);
    assert.deepEqual(paths.sort(), [
      '.* (file function)',
      'conf/*.yaml',
      'conf/app.ini (file function)',
    ]);
  });

  test('writes: named, below the temporary directory, or computed at run time', () => {
    const needs = programNeeds(
      sources({
        'store.go': [
          'package store',
          'import ("database/sql"; "io/ioutil"; "os"; "path/filepath")',
          'func Open(dir string) {',
          '\tos.MkdirAll("uploads", 0o755)',
          '\tioutil.TempFile("", "x")',
          '\tos.Create(filepath.Join(os.TempDir(), "y"))',
          '\tos.Create(dir + "/z")',
          '\tsql.Open("sqlite3", "file:app.db?cache=shared")',
          '\tsql.Open("postgres", "host=db")',
          '\tos.OpenFile("ro.txt", os.O_RDONLY, 0)',
          '}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.writes.map((w) => [w.call, w.path ?? null, w.temporary, w.where]),
      [
        ['os.MkdirAll', 'uploads', false, 'store.go:4'],
        ['io/ioutil.TempFile', null, true, 'store.go:5'],
        ['os.Create', null, true, 'store.go:6'],
        ['os.Create', null, false, 'store.go:7'],
        ['database/sql.Open', 'app.db', false, 'store.go:8'],
      ],
    );
  });

  test('a package-level var holding an imported function is called as that function', () => {
    const needs = programNeeds(
      sources({
        'db.go': [
          'package db',
          'import ("os"; "path/filepath")',
          '// Kept as a value so the tests can replace it.',
          'var mkdirAll = os.MkdirAll',
          'var (',
          '\tcreate = os.Create',
          '\tjoin   = filepath.Join(a, b)',
          ')',
          'func Open(connection string) {',
          '\tmkdirAll(filepath.Dir(connection), 0o777)',
          '\tcreate("db.lock")',
          '\tjoin("x")',
          '}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.writes.map((w) => [w.call, w.path ?? null, w.where]),
      [
        ['os.MkdirAll', null, 'db.go:10'],
        ['os.Create', 'db.lock', 'db.go:11'],
      ],
    );
  });

  test('a name given a literal joined to more stands for its start: no file read, a write below it', () => {
    const needs = programNeeds(
      sources({
        'imgur.go': [
          'package upload',
          'import "os"',
          'func Upload(filetype string) {',
          '\tfilename := "test." + filetype',
          '\tdir := "/data/uploads/" + filetype',
          '\tos.MkdirAll(dir, 0o755)',
          '}',
        ].join('\n'),
        'drive.go': [
          'package upload',
          'func Share(filename string) { uploader.ShareFile(nil, filename) }',
        ].join('\n'),
      }),
    );
    // The literals are listed where they are written, not as files a file function is given.
    assert.deepEqual(needs.namedPaths.map((p) => [p.path, p.access]).sort(), [
      ['/data/uploads/', false],
      ['test.', false],
    ]);
    assert.deepEqual(
      needs.writes.map((w) => [w.call, w.path ?? null]),
      [['os.MkdirAll', '/data/uploads/']],
    );
  });

  test("a database's data source name of key=value pairs is no file", () => {
    const needs = programNeeds(
      sources({
        'db.go': [
          'package db',
          'import "gorm.io/driver/postgres"',
          'func Open(user, password string) {',
          '\tconnStr := "host=db.example.internal user=" + user + " password=" + password',
          '\tpostgres.Open(connStr)',
          '\tpostgres.Open("user=app dbname=app sslmode=disable")',
          '\tos.Open("conf/app=1.ini")',
          '}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.namedPaths.map((p) => p.path),
      ['conf/app=1.ini'],
    );
  });

  test('the URL path a router serves files at is not a file (gin, echo, fiber Static)', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import "github.com/gin-gonic/gin"',
          'const root = "./assets"',
          'func main() {',
          '\tr := gin.Default()',
          '\tr.Static("/static", "./static")',
          '\tr.StaticFile("/favicon.ico", "./resources/favicon.ico")',
          '\tr.StaticFS("/assets", http.Dir(root))',
          '}',
        ].join('\n'),
      }),
    );
    // (The constant is also listed where it is written, as any path-like string is.)
    assert.deepEqual(needs.namedPaths.map((p) => [p.path, p.folder ?? false]).sort(), [
      ['./assets', false],
      ['./assets', true],
      ['./resources/favicon.ico', false],
      ['./static', true],
    ]);
  });

  test("a fuzz harness's calls are the fuzzer's, not the program's", () => {
    const needs = programNeeds(
      sources({
        'render_fuzzer.go': [
          'package render',
          'import "os"',
          'func FuzzRender(data []byte) int {',
          '\tif len(data) > 0 { os.WriteFile("protofile", data, 0o644) }',
          '\treturn 1',
          '}',
          'func Save(data []byte) { os.WriteFile("out.bin", data, 0o644) }',
          'func Fuzzy() { os.Remove("tmpfile") }',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.writes.map((w) => [w.call, w.path ?? null, w.where]),
      [
        ['os.WriteFile', 'out.bin', 'render_fuzzer.go:7'],
        ['os.Remove', 'tmpfile', 'render_fuzzer.go:8'],
      ],
    );
  });

  test("a test helper's calls are the tests', not the program's", () => {
    const needs = programNeeds(
      sources({
        'test_helpers.go': [
          'package watcherx',
          'import ("os"; "testing")',
          'func AtomicWrite(t *testing.T, dir string) {',
          '	tmp, _ := os.MkdirTemp(dir, "x")',
          '	os.WriteFile(tmp + "/a", nil, 0o644)',
          '}',
          'func (s *Suite) Bench(b *testing.B) { os.Remove("bench.out") }',
          'func helper(tb testing.TB) { os.Remove("tb.out") }',
          'func Watch(dir string) { os.Remove("watch.lock") }',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.writes.map((w) => [w.call, w.path ?? null, w.where]),
      [['os.Remove', 'watch.lock', 'test_helpers.go:9']],
    );
  });

  test('a port a string function trims, a dial names or an address appends is not listened on', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("net"; "net/http"; "strings")',
          'func normalize(domain string) string {',
          '	domain = strings.TrimSuffix(domain, ":80")',
          '	if strings.HasSuffix(domain, ":443") { return domain }',
          '	return domain',
          '}',
          'func resolver(addr string) string {',
          '	if !strings.Contains(addr, ":") { addr += ":53" }',
          '	return addr',
          '}',
          'func main() {',
          '	net.Dial("tcp", ":25")',
          '	http.ListenAndServe(":8080", nil)',
          '}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(
      needs.listens.map((l) => [l.address, l.port]),
      [[':8080', 8080]],
    );
  });

  test('what it listens on, starts and talks to', () => {
    const needs = programNeeds(
      sources({
        'main.go': [
          'package main',
          'import ("net/http"; "os/exec"; "github.com/docker/docker/client"; _ "github.com/mattn/go-sqlite3")',
          'func main() {',
          '\thttp.ListenAndServe(":80", nil)',
          '\thttp.Get("http://example.com:8080/")',
          '\texec.Command("git", "pull").Run()',
          '\texec.Command(os.Getenv("TOOL")).Run()',
          '\tclient.NewEnvClient()',
          '}',
        ].join('\n'),
      }),
    );
    assert.deepEqual(needs.listens, [{ address: ':80', port: 80, where: 'main.go:4' }]);
    assert.deepEqual(needs.executes, [
      { program: 'git', where: 'main.go:6' },
      { program: undefined, where: 'main.go:7' },
    ]);
    assert.equal(needs.dockerDaemon, 'main.go');
    assert.deepEqual(needs.cLibraries, []);
  });

  test('a path given a name, or in a keyed field, counts as named by a file function', () => {
    const needs = programNeeds(
      sources({
        'bot.go': [
          'package main',
          'import ("os"; "os/exec")',
          'const tokenFile string = "token.tok"',
          'var tool = "git"',
          'func main() {',
          '\tos.ReadFile(tokenFile)',
          '\texec.Command(tool)',
          '\t_ = swagger.Config{FilePath: "./docs/swagger.json", Title: "api"}',
          '}',
        ].join('\n'),
      }),
    );
    // (The declaration itself is a plain string; the use is what counts.)
    const read = (path: string) => needs.namedPaths.find((p) => p.path === path && p.reads);
    assert.equal(read('token.tok')?.where, 'bot.go:6');
    assert.equal(read('./docs/swagger.json')?.where, 'bot.go:8');
    assert.equal(read('api'), undefined);
    assert.deepEqual(needs.executes, [{ program: 'git', where: 'bot.go:7' }]);
  });

  test('cgo-only modules: their packages, and a major version as its own module', () => {
    assert.equal(cgoModuleOf('github.com/mattn/go-sqlite3'), 'github.com/mattn/go-sqlite3');
    assert.equal(cgoModuleOf('github.com/google/gopacket/pcap'), 'github.com/google/gopacket/pcap');
    assert.equal(
      cgoModuleOf('github.com/davidbyttow/govips/v2/vips'),
      'github.com/davidbyttow/govips/v2',
    );
    assert.equal(
      cgoModuleOf('github.com/mutecomm/go-sqlcipher/v4'),
      'github.com/mutecomm/go-sqlcipher',
    );
    // FoundationDB's binding links libfdb_c (seaweedfs's foundationdb store).
    assert.equal(
      cgoModuleOf('github.com/apple/foundationdb/bindings/go/src/fdb'),
      'github.com/apple/foundationdb/bindings/go',
    );
    assert.equal(cgoModuleOf('gocv.io/x/gocv'), 'gocv.io/x/gocv');
    assert.equal(cgoModuleOf('github.com/google/gopacket'), undefined);
    assert.equal(cgoModuleOf('modernc.org/sqlite'), undefined);
  });
});

describe('package-level declarations', () => {
  test('reads vars, consts, funcs and types with their types and initializers', () => {
    const facts = scanGoFile(
      [
        'package version',
        '',
        'import "os"',
        '',
        'var Version string',
        'var Commit = "none"',
        'var Date string = "un" +',
        '  "known"',
        'var (',
        '  Branch  string',
        '  BuiltBy = os.Getenv("USER")',
        '  Count   int',
        '  Tags    []string = []string{"a",',
        '    "b"}',
        '  a, b = "x", "y"',
        ')',
        'const Name = "app"',
        'type Info struct{ Version string }',
        'func Print() { var local = "no"; _ = local }',
        'func (i Info) Method() {}',
        'var Handler = func() string { return "x" }',
      ].join('\n'),
    );
    const d = facts.declarations;
    assert.deepEqual(d.get('Version'), {
      kind: 'var',
      line: 4,
      type: 'string',
      initialized: false,
      initCall: false,
      initLiteral: false,
    });
    assert.equal(d.get('Commit')?.initLiteral, true);
    assert.equal(d.get('Commit')?.type, undefined);
    assert.equal(d.get('Date')?.type, 'string');
    assert.equal(d.get('Date')?.initLiteral, true);
    assert.equal(d.get('Branch')?.type, 'string');
    assert.equal(d.get('Branch')?.line, 9);
    assert.equal(d.get('BuiltBy')?.initCall, true);
    assert.equal(d.get('Count')?.type, 'int');
    assert.equal(d.get('Tags')?.type, '[]string');
    assert.equal(d.get('a')?.kind, 'var');
    assert.equal(d.get('b')?.initLiteral, true);
    assert.equal(d.get('Name')?.kind, 'const');
    assert.equal(d.get('Info')?.kind, 'type');
    assert.equal(d.get('Print')?.kind, 'func');
    assert.equal(d.get('local'), undefined);
    assert.equal(d.get('Method'), undefined);
    assert.equal(d.get('Handler')?.initCall, false);
  });

  test('malformed declarations give partial facts, never an exception', () => {
    for (const text of [
      'package x\nvar',
      'package x\nvar (',
      'package x\nvar ( a = (',
      'var = "x"',
    ]) {
      assert.doesNotThrow(() => scanGoFile(text));
    }
  });
});
