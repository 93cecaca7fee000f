// Run a Python script inside a WebAssembly Python (MicroPython or Pyodide) under Node.
//
//   node portability/run_wasm.mjs micropython|pyodide [--pkg DIR]... [--flash DIR] SCRIPT.py [ARG]...
//
// Every --pkg DIR (a package directory such as tinybackprop/) is copied file by file,
// as it is, into the runtime's in-memory file system under /pkgroot/<basename of DIR>,
// and /pkgroot is put first on sys.path; then SCRIPT.py runs as __main__ with sys.argv
// set to [SCRIPT.py, ARG...]. The script's stdout and stderr go to Node's, line by line.
// --flash DIR plays a board's flash: DIR's files are copied to /flash, the script runs there
// (the current directory) with /flash/lib on sys.path, as on a board, and afterwards every
// file under /flash is written back to DIR, so what the script saved is there to read.
// The exit status is the script's (SystemExit code), 1 for an uncaught exception, and
// 2 for a usage or loading error.
//
// The runtimes come from the repository's node_modules (npm ci at the repository root).
import fs from "node:fs";
import path from "node:path";

const PKGROOT = "/pkgroot";

function usage(msg) {
  process.stderr.write(`run_wasm: ${msg}\n`);
  process.stderr.write("usage: node run_wasm.mjs micropython|pyodide [--pkg DIR]... SCRIPT.py [ARG]...\n");
  process.exit(2);
}

const argv = process.argv.slice(2);
const runtime = argv.shift();
if (runtime !== "micropython" && runtime !== "pyodide") usage(`unknown runtime ${runtime}`);
const pkgs = [];
let flash = null;
while (argv.length && (argv[0] === "--pkg" || argv[0] === "--flash")) {
  const opt = argv.shift();
  if (!argv.length) usage(`${opt} needs a directory`);
  if (opt === "--pkg") pkgs.push(argv.shift());
  else flash = argv.shift();
}
const FLASH = "/flash";
if (!argv.length) usage("no script given");
const script = argv.shift();
const scriptArgs = argv;

// Files to copy: [path inside the runtime, bytes]. __pycache__ and dotfiles are left out.
function collect(dir, dest, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "__pycache__") continue;
    const src = path.join(dir, entry.name);
    const dst = dest + "/" + entry.name;
    if (entry.isDirectory()) {
      out.push([dst, null]);
      collect(src, dst, out);
    } else if (entry.isFile()) {
      out.push([dst, fs.readFileSync(src)]);
    }
  }
  return out;
}

const files = [[PKGROOT, null]];
for (const dir of pkgs) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) usage(`not a directory: ${dir}`);
  const dest = PKGROOT + "/" + path.basename(path.resolve(dir));
  files.push([dest, null]);
  collect(dir, dest, files);
}
if (flash !== null) {
  if (!fs.existsSync(flash) || !fs.statSync(flash).isDirectory()) usage(`not a directory: ${flash}`);
  files.push([FLASH, null]);
  collect(flash, FLASH, files);
}
const scriptDest = PKGROOT + "/__run_wasm_main__.py";
files.push([scriptDest, fs.readFileSync(script)]);
// Where sys.argv cannot be set, the script finds its arguments here: from _run_wasm_args import ARGV
files.push([PKGROOT + "/_run_wasm_args.py", Buffer.from("ARGV = " + JSON.stringify([script, ...scriptArgs]) + "\n")]);

function populate(FS) {
  for (const [dst, data] of files) {
    if (data === null) {
      try { FS.mkdir(dst); } catch (e) { /* exists */ }
    } else {
      FS.writeFile(dst, data);
    }
  }
}

// The bootstrap runs the script as __main__ and turns SystemExit into a number kept in
// the global _run_wasm_rc (MicroPython's wasm port has no runpy and no process exit).
const bootstrap = `
import sys
sys.path.insert(0, ${JSON.stringify(PKGROOT)})
_run_wasm_argv = ${JSON.stringify([script, ...scriptArgs])}
try:
    sys.argv[:] = _run_wasm_argv
except AttributeError:
    pass  # MicroPython's wasm port has no sys.argv: the script can import _run_wasm_args
_run_wasm_rc = 0
if ${JSON.stringify(flash !== null ? "yes" : "")}:
    import os
    os.chdir(${JSON.stringify(FLASH)})
    sys.path.insert(1, ${JSON.stringify(FLASH + "/lib")})
def _run_wasm_main():
    with open(${JSON.stringify(scriptDest)}) as f:
        src = f.read()
    g = {"__name__": "__main__", "__file__": ${JSON.stringify(script)}}
    try:
        exec(compile(src, ${JSON.stringify(script)}, "exec"), g)
    except SystemExit as e:
        code = e.args[0] if e.args else 0
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0
_run_wasm_rc = _run_wasm_main()
`;

// Write every file under /flash back to the --flash directory.
function saveFlash(FS) {
  if (flash === null) return;
  const walk = (dir, dest) => {
    for (const name of FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const p = dir + "/" + name;
      const target = path.join(dest, name);
      if (FS.isDir(FS.stat(p).mode)) {
        fs.mkdirSync(target, { recursive: true });
        walk(p, target);
      } else {
        fs.writeFileSync(target, FS.readFile(p));
      }
    }
  };
  walk(FLASH, flash);
}

function out(stream) {
  return (line) => stream.write(line + "\n");
}

async function runMicroPython() {
  const { loadMicroPython } = await import("@micropython/micropython-webassembly-pyscript");
  const heapsize = Number(process.env.MICROPYTHON_HEAP || 64 * 1024 * 1024);
  const mp = await loadMicroPython({ heapsize, stdout: out(process.stdout), stderr: out(process.stderr) });
  populate(mp.FS);
  try {
    mp.runPython(bootstrap);
  } finally {
    saveFlash(mp.FS);
  }
  return Number(mp.globals.get("_run_wasm_rc"));
}

async function runPyodide() {
  const { loadPyodide } = await import("pyodide");
  const py = await loadPyodide({ stdout: out(process.stdout), stderr: out(process.stderr) });
  populate(py.FS);
  try {
    py.runPython(bootstrap);
  } finally {
    saveFlash(py.FS);
  }
  return Number(py.globals.get("_run_wasm_rc"));
}

let rc;
try {
  rc = runtime === "micropython" ? await runMicroPython() : await runPyodide();
} catch (e) {
  // An uncaught Python exception arrives as a JS error whose message holds the traceback.
  process.stderr.write(String(e && e.message ? e.message : e) + "\n");
  rc = 1;
}
process.exitCode = rc;
