// Helpers for the browser tests: a free loopback port, the `mandala serve` process, and a small
// reader for ZIP archives (a DOCX is one) built on node:zlib, so no unzip tool is needed.
import { spawn } from "node:child_process";
import net from "node:net";
import zlib from "node:zlib";

// A port that was free a moment ago on 127.0.0.1 (never 8080, the service's default).
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => (port === 8080 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

// Runs a command to completion; rejects with its output when it fails.
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} failed (${code ?? signal}):\n${out}`)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts `mandala serve` on a free port and waits until /healthz answers 200 with an index.
// Retries with another port when the chosen one was taken in between.
export async function startServer(binary, args, { cwd, timeoutMs = 30000 } = {}) {
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const child = spawn(binary, ["serve", ...args, "--host", "127.0.0.1", "--port", String(port)],
      { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    let exited = null;
    child.stderr.on("data", (d) => { log += d; if (log.length > 200000) log = log.slice(-100000); });
    child.on("exit", (code, signal) => (exited = code ?? signal));
    killOnExit(child);
    const server = { child, port, base: `http://127.0.0.1:${port}`, log: () => log };
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && exited === null) {
      try {
        const res = await fetch(server.base + "/healthz");
        if (res.ok) {
          const body = await res.json();
          if (body.status === "ok" && body.index === true) return server;
        }
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    await stopServer(server);
    if (exited !== null && attempt < 3 && /address|in use|bind/i.test(log)) continue;
    throw new Error(`mandala serve did not become healthy on port ${port} (exit: ${exited}):\n${log}`);
  }
}

// The server must not outlive the test, even when the test is itself killed (a CTest time-out,
// Ctrl-C) or ends without reaching its after() hook.
const children = new Set();
let handlersInstalled = false;
function killOnExit(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => { for (const c of children) c.kill("SIGKILL"); });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"])
    process.once(sig, () => { for (const c of children) c.kill("SIGKILL"); process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1)); });
}

// SIGTERM, then SIGKILL if the server has not stopped within a few seconds.
export async function stopServer(server) {
  const child = server && server.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await done;
  clearTimeout(timer);
}

// Returns the named member of a ZIP archive (stored or deflated), read through the central directory.
export function unzipEntry(buffer, name) {
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 65557); --i)
    if (buffer.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error("not a ZIP archive (no end of central directory)");
  const entries = buffer.readUInt16LE(eocd + 10);
  let p = buffer.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < entries; ++n) {
    if (buffer.readUInt32LE(p) !== 0x02014b50) throw new Error("bad ZIP central directory");
    const method = buffer.readUInt16LE(p + 10);
    const compressed = buffer.readUInt32LE(p + 20);
    const nameLen = buffer.readUInt16LE(p + 28), extraLen = buffer.readUInt16LE(p + 30), commentLen = buffer.readUInt16LE(p + 32);
    const local = buffer.readUInt32LE(p + 42);
    const entryName = buffer.toString("utf8", p + 46, p + 46 + nameLen);
    names.push(entryName);
    if (entryName === name) {
      if (buffer.readUInt32LE(local) !== 0x04034b50) throw new Error("bad ZIP local header");
      const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
      const data = buffer.subarray(start, start + compressed);
      if (method === 0) return data;
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`ZIP member ${name}: unsupported method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`ZIP archive has no ${name} (members: ${names.join(", ")})`);
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
export function xmlUnescape(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : (ENTITIES[e] ?? m));
}

// The paragraphs of a WordprocessingML body: style and text (all w:t runs joined).
export function docxParagraphs(documentXml) {
  const out = [];
  for (const [, p] of documentXml.matchAll(/<w:p[ >]([\s\S]*?)<\/w:p>/g)) {
    const style = (p.match(/<w:pStyle w:val="([^"]*)"/) || [])[1] || "";
    const text = [...p.matchAll(/<w:t(?: [^>]*)?>([\s\S]*?)<\/w:t>/g)].map((m) => xmlUnescape(m[1])).join("");
    out.push({ style, text });
  }
  return out;
}
