// onnxruntime-node side of bench/onnx.sh: the same model, settings and loop as bench/OnnxBench.
const ort = require('onnxruntime-node');

async function main() {
  const [modelPath, runsArg] = process.argv.slice(2);
  const runs = Number(runsArg);
  const warmup = 10;
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      enableCpuMemArena: true,
      executionMode: 'sequential',
    });
    for (const batch of [1, 8]) {
      const data = new Float32Array(batch * 3 * 224 * 224);
      let seed = 1;
      for (let i = 0; i < data.length; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        data[i] = (seed / 2147483648) * 4 - 2;
      }
      const feeds = { input: new ort.Tensor('float32', data, [batch, 3, 224, 224]) };
      const samples = [];
      for (let i = -warmup; i < runs; i++) {
        const started = process.hrtime.bigint();
        await session.run(feeds, ['embedding']);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (i >= 0) samples.push(ms);
      }
      samples.sort((a, b) => a - b);
      console.log(JSON.stringify({ runner: 'node', threads, batch, median_ms: Number(samples[Math.floor(runs / 2)].toFixed(3)) }));
    }
    await session.release();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
