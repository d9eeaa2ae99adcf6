// What the panel draws and how fast it trains, observed in the real workbench: the previous
// run's curve only on a like quantity (read from the divergence chart the webview exports), and
// the Speed control's limits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { encodeNonFinite, type Snapshot, type Speed } from '../../src/protocol';
import { parseHostMessage } from '../../webview/messages';
import { cleanSlate, ganLens, recordMessages, session, waitFor, waitForStep, WAIT_LIMIT_MS } from './util';

suite('Charts and speed', () => {
  let api: GanLensApi;

  suiteSetup(async () => {
    api = await ganLens();
    await cleanSlate(api);
  });

  suiteTeardown(async () => {
    api.controller.setSpeed('warmUp');
    await cleanSlate(api);
  });

  /** The divergence chart as the webview draws it (SVG), once it shows the current run's `estimating`. */
  async function divergenceSvg(estimating: string): Promise<string> {
    let last = '';
    await waitFor(async () => {
      const panel = api.panel();
      if (!panel) return false;
      const charts = await panel.exportCharts('svg');
      last = Buffer.from(charts.find((c) => c.name === 'divergence')?.bytes ?? []).toString('utf8');
      return last.includes(estimating.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }, () => `the divergence chart of the run estimating ${estimating} (last: ${last.slice(0, 200)})`);
    return last;
  }

  test('the previous run is overlaid only when it estimated the same divergence, named by where it came from', async () => {
    await vscode.commands.executeCommand('ganLens.train', 'wgan-gp');
    await waitForStep(api, 20);
    // minimax estimates the JSD: the W₁ run before it is not drawn on its axis.
    await vscode.commands.executeCommand('ganLens.train', 'minimax');
    await waitForStep(api, 20);
    const jsd = await divergenceSvg(session(api).summary!.estimating);
    assert.doesNotMatch(jsd, /previous run/, 'a W₁ run is overlaid on the JSD axis');
    // non-saturating estimates the JSD too: the minimax run is drawn, and named.
    await vscode.commands.executeCommand('ganLens.train', 'non-saturating');
    await waitForStep(api, 20);
    const again = await divergenceSvg(session(api).summary!.estimating);
    assert.match(again, /previous run: preset: minimax v0 \(exact\)/, 'the JSD run before is not overlaid, or not named');
  });

  /**
   * Steps per second over a window of at least `seconds`, from the steps of the snapshots the
   * host receives (exact) and the times they arrive (late by the same host delays at both ends).
   */
  async function measure(seconds: number): Promise<number> {
    const s = session(api);
    const first = await nextSnapshot();
    const start = { step: first, t: performance.now() };
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const last = await nextSnapshot();
    assert.equal(session(api), s, 'the run changed while measuring');
    return (last - start.step) / ((performance.now() - start.t) / 1000);
  }

  function nextSnapshot(): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no snapshot')); }, WAIT_LIMIT_MS);
      const sub = api.controller.onMessage((m) => {
        if (m.type !== 'snapshot') return;
        clearTimeout(timer);
        sub.dispose();
        resolve(m.snapshot.metrics.step);
      });
    });
  }

  test('the Speed control holds 10, 100 and 1,000 steps/s within 10%', async function () {
    await vscode.commands.executeCommand('ganLens.train', 'non-saturating');
    await waitForStep(api, 0);
    const panel = api.panel();
    assert.ok(panel, 'no panel');
    // As the webview sends it.
    const setSpeed = (speed: Speed): void => (panel as unknown as { receive(raw: unknown): void }).receive({ type: 'setSpeed', speed });
    const results: string[] = [];
    let measuredAny = false;
    for (const [rate, seconds] of [[10, 12], [100, 6], [1000, 6]] as const) {
      // On a machine other work loads, what the run can reach changes from second to second: each
      // attempt first measures Max, and a rate it cannot reach with room to spare says nothing of
      // the limit. A limit that does not hold fails every attempt; load fails one now and then.
      const attempts: string[] = [];
      let held = false;
      for (let attempt = 0; attempt < 3 && !held; attempt++) {
        setSpeed(null);
        await nextSnapshot();
        const max = await measure(2);
        if (max < 1.25 * rate) {
          attempts.push(`max ${max.toFixed(0)}: not measured`);
          continue;
        }
        setSpeed(rate);
        await nextSnapshot();
        const measured = await measure(seconds);
        attempts.push(`${measured.toFixed(1)} (max ${max.toFixed(0)})`);
        measuredAny = true;
        held = Math.abs(measured - rate) <= 0.1 * rate;
      }
      results.push(`${rate}: ${attempts.join(', ')}`);
      const conclusive = attempts.some((a) => !a.endsWith('not measured'));
      assert.ok(held || !conclusive, `at a limit of ${rate} steps/s the run made ${attempts.join('; ')} steps/s`);
    }
    console.log(`    speed limits: ${results.join(' · ')}`);
    if (!measuredAny) this.skip();
  });

  test('Critic and Generator each train one half of a step, shown as such; slow motion alternates them', async () => {
    await vscode.commands.executeCommand('ganLens.train', 'non-saturating');
    await waitForStep(api, 20);
    const panel = api.panel();
    assert.ok(panel, 'no panel');
    const send = (raw: unknown): void => (panel as unknown as { receive(raw: unknown): void }).receive(raw);
    const recorded = recordMessages(api);
    try {
      const snapshots = (): Snapshot[] => recorded.of('snapshot').map((m) => m.snapshot);
      send({ type: 'command', command: 'stepCritic' });
      const critic = await waitFor(() => snapshots().find((x) => x.subStep === 'critic'), 'a snapshot after the critic\'s half step');
      assert.equal(session(api).state, 'paused', 'a half step did not pause the run');
      const before = snapshots()[snapshots().indexOf(critic) - 1];
      assert.ok(before, 'no snapshot of the paused run before the half step');
      assert.equal(critic.metrics.step, before.metrics.step, 'the critic\'s half step counted as a whole step');
      assert.deepEqual(critic.generatorMap?.x, before.generatorMap?.x, 'the critic\'s half step moved the generator');
      assert.notDeepEqual(critic.critic, before.critic, 'the critic\'s half step did not move the critic');
      assert.ok(parseHostMessage(encodeNonFinite({ type: 'snapshot', snapshot: critic })), 'the webview would drop the half step\'s snapshot');

      send({ type: 'command', command: 'stepGenerator' });
      const generator = await waitFor(() => snapshots().find((x) => x.subStep === 'generator'), 'a snapshot after the generator\'s half step');
      assert.equal(generator.metrics.step, critic.metrics.step + 1, 'the generator\'s half step did not complete the step');
      assert.notDeepEqual(generator.generatorMap?.x, critic.generatorMap?.x, 'the generator\'s half step did not move the generator');
      if (generator.x.every((v, i) => v === critic.x[i])) assert.deepEqual(generator.critic, critic.critic, 'the generator\'s half step moved the critic');

      // Slow motion: half steps in turn, each its own snapshot.
      const from = snapshots().length;
      api.controller.setSpeed('slowMotion');
      api.controller.resume();
      const slow = await waitFor(() => {
        const halves = snapshots().slice(from).filter((x) => x.subStep !== undefined);
        return halves.length >= 4 && halves;
      }, 'four half steps in slow motion');
      for (let i = 1; i < 4; i++) {
        assert.notEqual(slow[i]!.subStep, slow[i - 1]!.subStep, `slow motion did not alternate: ${slow.map((x) => x.subStep).join(', ')}`);
        assert.equal(slow[i]!.metrics.step, slow[i - 1]!.metrics.step + (slow[i]!.subStep === 'generator' ? 1 : 0), 'a half step counted wrongly');
      }
    } finally {
      recorded.dispose();
      api.controller.setSpeed('warmUp');
    }
  });
});
