#!/usr/bin/env node
// A Node.js client of the V2AStream daemon: @grpc/grpc-js, with protos/v2astream/v1/v2astream.proto
// loaded at run time by @grpc/proto-loader (no code generation).
//
//   node client.js info
//   node client.js generate in.mp4 --out out.wav [--realtime]
//
// Options: --server HOST:PORT or http(s)://HOST:PORT (default 127.0.0.1:50051; https:// for a daemon with TLS),
// --token T (or V2A_TOKEN), --json (one JSON object per line; a scene as the v2a CLI prints it: index, start_s,
// end_s, start_frame, end_frame, score, labels), and for generate -o/--out, --sample-rate, --channels, --model-set, --seed, --input-format.
// Exit codes: 0 ok, 1 the call or the input failed ("error: ..." with the gRPC status), 2 bad usage.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
let grpc;
let protoLoader;
try {
  grpc = require('@grpc/grpc-js');
  protoLoader = require('@grpc/proto-loader');
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
  process.stderr.write(`error: ${error.message.split('\n')[0]}: run 'npm ci' in ${__dirname} first.\n`);
  process.exit(1);
}

const PROTO = path.resolve(__dirname, '..', '..', 'protos', 'v2astream', 'v1', 'v2astream.proto');
const CHUNK_BYTES = 64 * 1024;
const WAV_HEADER_BYTES = 44;

class UsageError extends Error {}

// HOST:PORT or http://HOST:PORT (plain HTTP/2), https://HOST:PORT (TLS): the target to connect to and whether it is TLS.
function serverAddress(text) {
  const tls = text.startsWith('https://');
  const target = text.replace(/^https?:\/\//, '').replace(/\/$/, '');
  if (!/^(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):\d+$/.test(target)) {
    throw new UsageError(`--server '${text}' is not an address: use HOST:PORT or http(s)://HOST:PORT, e.g. 127.0.0.1:50051`);
  }
  return { target, tls };
}

function parseArgs(argv) {
  const options = { server: '127.0.0.1:50051', token: process.env.V2A_TOKEN, json: false, realtime: false, sampleRate: 16000, channels: 1 };
  const positional = [];
  const valueOf = (name, i) => {
    if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
    return argv[i + 1];
  };
  const integer = (name, text) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number, not '${text}'`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--server': options.server = valueOf(arg, i); i++; break;
      case '--token': options.token = valueOf(arg, i); i++; break;
      case '-o': case '--out': options.out = valueOf(arg, i); i++; break;
      case '--sample-rate': options.sampleRate = integer(arg, valueOf(arg, i)); i++; break;
      case '--channels': options.channels = integer(arg, valueOf(arg, i)); i++; break;
      case '--model-set': options.modelSet = valueOf(arg, i); i++; break;
      case '--seed': options.seed = integer(arg, valueOf(arg, i)); i++; break;
      case '--input-format': options.inputFormat = valueOf(arg, i); i++; break;
      case '--timeout': options.timeout = Number(valueOf(arg, i)); i++; break;
      case '--realtime': options.realtime = true; break;
      case '--json': options.json = true; break;
      case '-h': case '--help': options.help = true; break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  options.address = serverAddress(options.server);
  [options.command, ...options.args] = positional;
  if (options.help) return options;
  if (options.command === 'info' && options.args.length === 0) return options;
  if (options.command === 'generate' && options.args.length === 1) {
    if (!options.out) throw new UsageError('generate needs --out FILE.wav');
    options.input = options.args[0];
    return options;
  }
  throw new UsageError(options.command ? `bad arguments for '${options.command}'` : 'no command given');
}

const USAGE = `usage: node client.js [--server HOST:PORT|http(s)://HOST:PORT] [--token T] [--json] COMMAND
  info                                     versions, model sets and limits (GetInfo)
  generate FILE|- --out out.wav [--realtime] [--sample-rate 16000] [--channels 1]
           [--model-set NAME] [--seed N] [--input-format mpegts]
                                           stream a video and write the generated audio as WAV`;

function loadService() {
  const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  return grpc.loadPackageDefinition(definition).v2astream.v1.V2AStream;
}

function statusName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) ?? String(code);
}

function deadline(seconds) {
  return seconds ? new Date(Date.now() + seconds * 1000) : Infinity;
}

function print(options, kind, value, text) {
  process.stdout.write((options.json ? JSON.stringify({ [kind]: value }) : text) + '\n');
}

// A scene as every --json output shows it (README.md, "Machine-readable output"): media seconds and sampled frames.
function sceneJson(scene, fps) {
  const start = scene.start_us / 1e6;
  const end = scene.end_us / 1e6;
  return {
    index: scene.scene_index, start_s: start, end_s: end, start_frame: Math.round(start * fps),
    end_frame: Math.round(end * fps) - 1, score: scene.score, labels: scene.labels,
  };
}

// An empty file under a short hidden name in FILE's folder, made now so that a path that cannot be written fails
// before any work; it is renamed over FILE at the end, so the file appears whole or not at all and any legal name
// can be written.
function temporaryBeside(file) {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`'${file}' is a folder: name a file in it.`);
  const folder = path.dirname(path.resolve(file));
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`'${file}': folder '${folder}' does not exist: create it first.`);
  return path.join(folder, `.v2a-${crypto.randomBytes(4).toString('hex')}.wav`);
}

function sceneLine(scene) {
  const end = Number(scene.end_us) === 0 ? 'open' : `${(scene.end_us / 1e6).toFixed(3)} s`;
  const labels = scene.labels.length ? ` [${scene.labels.join(', ')}]` : '';
  return `scene ${scene.scene_index}: ${(scene.start_us / 1e6).toFixed(3)} s - ${end}, score ${scene.score.toFixed(2)}${labels}`;
}

async function info(client, options, metadata) {
  const server = await new Promise((resolve, reject) => {
    client.GetInfo({}, metadata, { deadline: deadline(options.timeout ?? 30) }, (error, reply) => (error ? reject(error) : resolve(reply)));
  });
  const sets = server.model_sets.map((s) =>
    `  ${s.name}${s.name === server.default_model_set ? ' (default)' : ''}: ${s.embedder} + ${s.mapper} + ${s.generator}, ${s.sample_rate} Hz${s.available ? '' : `, unavailable: ${s.problem}`}`);
  const limits = server.limits;
  print(options, 'info', server, [
    `server ${server.server_version}, ONNX Runtime ${server.onnxruntime_version}, ffmpeg ${server.ffmpeg_version}`,
    `execution providers: ${server.execution_providers.join(', ')}`,
    'model sets:', ...sets,
    `limits: ${limits.active_streams} of ${limits.max_streams} streams active, messages up to ${limits.max_receive_message_bytes} bytes, frames up to ${limits.max_frame_width}x${limits.max_frame_height}`,
  ].join('\n'));
  return 0;
}

/** A 16-bit PCM WAV written as chunks arrive; the sizes in its header are set when it is closed. */
class WavFile {
  constructor(file) {
    this.file = file;
    this.fd = fs.openSync(file, 'w');
    this.dataBytes = 0;
    this.sampleRate = 16000;
    this.channels = 1;
    fs.writeSync(this.fd, Buffer.alloc(WAV_HEADER_BYTES));
  }

  write(data) {
    fs.writeSync(this.fd, data);
    this.dataBytes += data.length;
  }

  close() {
    const header = Buffer.alloc(WAV_HEADER_BYTES);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + this.dataBytes, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20); // PCM
    header.writeUInt16LE(this.channels, 22);
    header.writeUInt32LE(this.sampleRate, 24);
    header.writeUInt32LE(this.sampleRate * this.channels * 2, 28);
    header.writeUInt16LE(this.channels * 2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(this.dataBytes, 40);
    fs.writeSync(this.fd, header, 0, header.length, 0);
    fs.closeSync(this.fd);
  }
}

/** The media duration by ffprobe, to send a file at 1x with --realtime; null when ffprobe cannot tell. */
function probeSeconds(input) {
  if (input === '-') return null;
  try {
    const text = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', input], { encoding: 'utf8' });
    const seconds = Number.parseFloat(text.trim());
    return Number.isFinite(seconds) ? seconds : null;
  } catch {
    return null;
  }
}

/** Config first, then the input in 64 KiB media messages, waiting for the call to drain (backpressure). */
async function send(call, config, input, paceSeconds) {
  const waitDrain = () => new Promise((resolve) => call.once('drain', resolve));
  if (!call.write({ config })) await waitDrain();
  const stream = input === '-' ? process.stdin : fs.createReadStream(input, { highWaterMark: CHUNK_BYTES });
  const total = input === '-' ? 0 : fs.statSync(input).size;
  const started = Date.now();
  let sent = 0;
  for await (const data of stream) {
    if (call.destroyed) break;
    if (paceSeconds && total) {
      const delay = started + (paceSeconds * 1000 * sent) / total - Date.now();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    sent += data.length;
    if (!call.write({ media: data })) await waitDrain();
  }
  call.end();
}

async function generate(client, options, metadata) {
  if (options.input !== '-' && !fs.statSync(options.input, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`'${options.input}' does not exist or is not a file.`);
  }
  const config = {
    realtime: options.realtime,
    output: { encoding: 'PCM_S16LE', sample_rate: options.sampleRate, channels: options.channels },
  };
  if (options.modelSet || options.seed !== undefined) config.generation = { model_set: options.modelSet ?? '', seed: options.seed ?? 0 };
  if (options.inputFormat) config.input = { format: options.inputFormat };

  const partial = temporaryBeside(options.out);
  const wav = new WavFile(partial);
  const call = client.Generate(metadata, { deadline: deadline(options.timeout) });
  // Ctrl+C cancels the call, so the daemon stops at once and the temporary WAV is removed below.
  process.once('SIGINT', () => call.cancel());
  let fps = 0;
  let summary = null;
  const sending = send(call, config, options.input, options.realtime ? probeSeconds(options.input) : null)
    .catch((error) => call.cancelWithStatus(grpc.status.CANCELLED, `reading ${options.input} failed: ${error.message}`));
  try {
    for await (const response of call) {
      switch (response.event) {
        case 'started':
          fps = response.started.config.scenes.sample_fps;
          print(options, 'started', response.started, `stream ${response.started.request_id} started (${response.started.config.generation.mode.toLowerCase()} mode)`);
          break;
        case 'audio':
          if (wav.dataBytes === 0) {
            wav.sampleRate = response.audio.sample_rate;
            wav.channels = response.audio.channels;
          }
          wav.write(response.audio.data);
          break;
        case 'scene':
          if (response.scene.final) print(options, 'scene', sceneJson(response.scene, fps), sceneLine(response.scene));
          break;
        case 'summary': {
          summary = response.summary;
          const s = summary;
          const latency = s.max_latency_us ? `, chunk latency mean ${(s.mean_latency_us / 1e6).toFixed(2)} s max ${(s.max_latency_us / 1e6).toFixed(2)} s` : '';
          print(options, 'summary', s, `summary: ${(s.duration_us / 1e6).toFixed(3)} s of media -> ${s.total_samples} samples, ${s.scene_count} scenes, ${s.frames_decoded} frames, ${s.blocks_generated} blocks, ${s.realtime_factor.toFixed(1)}x real time${latency}`);
          break;
        }
        default:
          break;
      }
    }
    await sending;
  } finally {
    wav.close();
    if (!summary) fs.rmSync(partial, { force: true });
  }
  if (!summary) throw new Error('the stream ended without a summary; no audio written.');
  fs.renameSync(partial, options.out);
  print(options, 'wav', { path: options.out, samples: summary.total_samples }, `wrote ${options.out}`);
  return 0;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const V2AStream = loadService();
  // A loopback daemon must not be reached through a proxy from the environment.
  const credentials = options.address.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
  const client = new V2AStream(options.address.target, credentials, {
    'grpc.enable_http_proxy': 0,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const metadata = new grpc.Metadata();
  if (options.token) metadata.set('authorization', `Bearer ${options.token}`);
  try {
    await new Promise((resolve, reject) => client.waitForReady(deadline(options.timeout ?? 30), (error) =>
      (error ? reject(new Error(`cannot reach the daemon at ${options.address.target}: is './v2a serve' running there?`)) : resolve())));
    return await (options.command === 'info' ? info : generate)(client, options, metadata);
  } catch (error) {
    const message = error.code !== undefined && error.details !== undefined ? `${statusName(error.code)}: ${error.details}` : error.message;
    process.stderr.write(`error: ${message}\n`);
    return 1;
  } finally {
    client.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`error: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
