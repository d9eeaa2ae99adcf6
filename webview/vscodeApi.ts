import type { CompareToHost } from '../src/compareProtocol';
import type { WebviewToHost } from '../src/protocol';

/** The subset of the webview API we use. `acquireVsCodeApi` may be called only once per page. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function acquire(): VsCodeApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  // Opened outside VS Code (e.g. a plain browser): keep working with an in-memory stand-in.
  // eslint-disable-next-line no-console -- the webview's only log is the devtools console
  console.warn('acquireVsCodeApi is not available; messages to the host are dropped');
  let state: unknown;
  return { postMessage: () => undefined, getState: () => state, setState: (s) => { state = s; } };
}

const api = acquire();

/** The inspector posts WebviewToHost, the compare panel CompareToHost. */
export function postToHost(message: WebviewToHost | CompareToHost): void {
  api.postMessage(message);
}

export function loadState(): unknown {
  return api.getState();
}

export function saveState(state: unknown): void {
  api.setState(state);
}
