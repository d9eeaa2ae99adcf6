/**
 * The fused kernel's helper thread: the same compiled module on the same shared memory, running
 * its share of large products (./parallelProducts.ts) until the engine is disposed.
 */
import { workerData } from 'node:worker_threads';
import { ProductControl, type HelperData, type KernelCalls } from './parallelProducts';

declare const WebAssembly: { Instance: new (module: object, imports: object) => { readonly exports: unknown } };

const data = workerData as HelperData;
const calls = new WebAssembly.Instance(data.module, { env: { memory: data.memory } }).exports as KernelCalls;
new ProductControl(data.control, data.commands).serve(calls);
