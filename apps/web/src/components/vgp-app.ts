import { html, LitElement } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { TrainingController } from '../controllers/training-controller.js';
import { CLI_FILE, cliText } from '../state/cli-export.js';
import { toExperimentConfig } from '../state/experiment-config.js';
import { download, exportCsv, exportJson } from '../state/export.js';
import { label, MAX_VARIANTS, SEQUENCE_TASKS } from '../state/options.js';
import { PRESETS, presetState } from '../state/presets.js';
import { applyRemedy } from '../state/remedy-patches.js';
import { runSummary } from '../state/run-summary.js';
import {
  allRuns,
  cloneState,
  type PlaygroundState,
  type RunSpec,
  type SharedSettings,
} from '../state/state.js';
import { parseState, serializeState } from '../state/url-state.js';
import { controlStyles, runColor } from '../theme.js';
import { appStyles } from './vgp-app.styles.js';
import './vgp-cliff.js';
import './vgp-curve-chart.js';
import type { VgpCurveChart } from './vgp-curve-chart.js';
import './vgp-grad-histogram.js';
import './vgp-learn.js';
import './vgp-network-view.js';
import './vgp-notice.js';
import './vgp-phase-diagram.js';
import type { InitChangeDetail } from './vgp-phase-diagram.js';
import './vgp-run-card.js';
import './vgp-run-editor.js';
import type { RunChangeDetail } from './vgp-run-editor.js';
import './vgp-shared-settings.js';
import './vgp-sweep-view.js';
import './vgp-transport.js';
import type { AddVariantDetail } from './vgp-verdicts.js';

/**
 * The playground: owns the comparison (state, mirrored in the URL) and the training controller,
 * and lays out the settings, the Learn presets, the curves and one card per run.
 */
@customElement('vgp-app')
export class VgpApp extends LitElement {
  static override styles = [controlStyles, appStyles];

  @state() private state: PlaygroundState;
  @state() private urlProblems: string[] = [];
  /** The layer a click in the network view picked, which that run's card jumps to. */
  @state() private picked: { run: number; layer: string } | null = null;
  /** Whether the phase-diagram view is open (computed in the page, only while shown). */
  @state() private phaseOpen = false;
  /** Whether the Cliff view (Pascanu et al.'s one-unit RNN, computed in the page) is shown. */
  @state() private cliffOpen = false;
  /** Whether the Sweep view (a `vgp sweep` output loaded from a file) is shown. */
  @state() private sweepOpen = false;
  /** Whether the "Show as CLI" panel (the vgp compare --config file of the page) is open. */
  @state() private cliOpen = false;
  /** The preset just loaded, announced above the run cards until the next change. */
  @state() private loaded: string | null = null;
  /**
   * After a Load, the panels above the cards change height as the new runs' first messages arrive
   * (empty histograms, new curves), which would move the cards away: until this time (ms) or a user
   * scroll, every render scrolls them back, and once more when the first step arrives.
   */
  private pinUntil = 0;
  private pinCards = false;
  private unpin = () => {
    this.pinUntil = 0;
    this.pinCards = false;
  };
  private training = new TrainingController(this);

  @query('vgp-curve-chart.loss') private lossChart?: VgpCurveChart;
  @query('vgp-curve-chart.metric') private metricChart?: VgpCurveChart;

  constructor() {
    super();
    const parsed = parseState(
      window.location.search,
      PRESETS.map((p) => p.id),
    );
    this.state = parsed.state;
    // A hand-written link that names only a preset (`?preset=rnn-adding`) loads that preset.
    const preset = PRESETS.find((p) => p.id === parsed.state.preset);
    if (preset && new URLSearchParams(window.location.search).size === 1) {
      this.state = presetState(preset, parsed.state.shared);
    }
    this.urlProblems = parsed.problems;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.training.configure(this.state);
    this.writeUrl();
  }

  override render() {
    const s = this.state;
    const t = this.training;
    const runs = t.runs;
    const curves = (pick: (i: number) => number[]) =>
      runs.map((r, i) => ({ label: r.spec.label, color: runColor(i), steps: r.steps, values: pick(i) }));
    return html`<header>
        <h1>vgp <span>vanishing & exploding gradients, side by side</span></h1>
        <vgp-transport .playing=${t.playing} .speed=${s.shared.speed} @vgp-play=${() => t.play()}
          @vgp-pause=${() => t.pause()} @vgp-step=${() => t.step(1)} @vgp-reset=${this.reset}
          @vgp-speed=${this.onSpeed}></vgp-transport>
        <span class="status" role="status">${t.status || t.backendDetail || 'loading the backend…'}</span>
        <span class="spacer"></span>
        <div class="exports">
          <button class="export-json" @click=${this.exportJson}>Export JSON</button>
          <button class="export-csv" @click=${this.exportCsv}>Export CSV</button>
          <button class="show-cli" aria-pressed=${this.cliOpen ? 'true' : 'false'}
            @click=${() => (this.cliOpen = !this.cliOpen)}>${this.cliOpen ? 'Hide CLI' : 'Show as CLI'}</button>
        </div>
      </header>
      <div class="notices">
        ${
          this.urlProblems.length > 0
            ? html`<vgp-notice class="url-notice" heading="The link's settings were not valid, so the defaults are shown."
              .items=${this.urlProblems} @vgp-dismiss=${() => (this.urlProblems = [])}></vgp-notice>`
            : null
        }
        ${
          t.error
            ? html`<vgp-notice class="error" heading=${t.error} @vgp-dismiss=${() => (t.error = null)}></vgp-notice>`
            : null
        }
      </div>
      <div class="layout">
        <aside>
          <section aria-labelledby="learn-h"><h2 id="learn-h">Learn</h2>
            <vgp-learn .presets=${PRESETS} .current=${s.preset} @vgp-load-preset=${this.loadPreset}></vgp-learn>
          </section>
          <section aria-labelledby="shared-h"><h2 id="shared-h">Shared settings</h2>
            <vgp-shared-settings .settings=${s.shared} @vgp-shared-change=${this.onShared}></vgp-shared-settings>
          </section>
          <section class="runs" aria-labelledby="runs-h"><h2 id="runs-h">Runs and remedies</h2>
            ${allRuns(s).map(
              (spec, i) => html`<vgp-run-editor .spec=${spec} index=${i} color=${runColor(i)}
                ?recurrent=${SEQUENCE_TASKS.includes(s.shared.task)} @vgp-run-change=${this.onRunChange}
                @vgp-run-remove=${this.onRunRemove}></vgp-run-editor>`,
            )}
            <button class="add-variant" ?disabled=${s.variants.length >= MAX_VARIANTS} @click=${this.addBlank}>
              + Add variant (${s.variants.length}/${MAX_VARIANTS})</button>
            ${
              s.variants.length >= MAX_VARIANTS
                ? html`<p class="why add-why">At most ${MAX_VARIANTS} variants: remove one to add another.</p>`
                : null
            }
          </section>
        </aside>
        <main>
          ${this.renderCli()}
          <section class="curves ${this.hasMetric() ? '' : 'single'}" aria-label="Training curves">
            <div><vgp-curve-chart class="loss" heading="Loss (log scale, smoothed)" log yLabel="loss"
              pngTitle=${this.context()} .series=${curves((i) => runs[i]?.lossSmooth ?? [])}></vgp-curve-chart>
              <div class="chart-head"><button @click=${() => this.png(this.lossChart, 'loss')}>Loss PNG</button></div>
            </div>
            ${
              this.hasMetric()
                ? html`<div><vgp-curve-chart class="metric" heading="Accuracy" yLabel="accuracy"
                    pngTitle=${this.context()} .series=${curves((i) => runs[i]?.metric ?? [])}></vgp-curve-chart>
                    <div class="chart-head"><button @click=${() => this.png(this.metricChart, 'accuracy')}>
                      Accuracy PNG</button></div>
                  </div>`
                : null
            }
          </section>
          <section class="network" aria-labelledby="network-h">
            <div class="chart-head"><h2 id="network-h">Network</h2><span class="spacer"></span>
              <button class="network-toggle" aria-pressed=${t.networkOpen ? 'true' : 'false'} @click=${this.toggleNetwork}>
                ${t.networkOpen ? 'Hide network' : 'Show network'}</button></div>
            ${
              t.networkOpen
                ? html`<vgp-network-view @vgp-layer-select=${this.onLayerSelect}
                  .runs=${runs.map((r, i) => ({ label: r.spec.label, color: runColor(i), network: r.network ?? null }))}></vgp-network-view>`
                : null
            }
          </section>
          <section class="phase" aria-labelledby="phase-h">
            <div class="chart-head"><h2 id="phase-h">Phase diagram</h2><span class="spacer"></span>
              <button class="phase-toggle" aria-pressed=${this.phaseOpen ? 'true' : 'false'}
                @click=${() => (this.phaseOpen = !this.phaseOpen)}>${this.phaseOpen ? 'Hide phase diagram' : 'Show phase diagram'}</button></div>
            ${
              this.phaseOpen
                ? SEQUENCE_TASKS.includes(s.shared.task)
                  ? html`<p>The phase diagram is for the deep feed-forward nets (not the recurrent tasks).</p>`
                  : html`<vgp-phase-diagram .state=${s} @vgp-init-change=${this.onInitChange}></vgp-phase-diagram>`
                : null
            }
          </section>
          <section class="histograms" aria-labelledby="histograms-h">
            <div class="chart-head"><h2 id="histograms-h">Gradient distributions</h2><span class="spacer"></span></div>
            <vgp-grad-histogram .runs=${runs.map((r, i) => ({ label: r.spec.label, color: runColor(i), histograms: r.histograms ?? null }))}></vgp-grad-histogram>
          </section>
          <section class="cliff" aria-labelledby="cliff-h">
            <div class="chart-head"><h2 id="cliff-h">Cliff</h2><span class="spacer"></span>
              <button class="cliff-toggle" aria-pressed=${this.cliffOpen ? 'true' : 'false'}
                @click=${() => (this.cliffOpen = !this.cliffOpen)}>${this.cliffOpen ? 'Hide cliff' : 'Show cliff'}</button></div>
            ${this.cliffOpen ? html`<vgp-cliff></vgp-cliff>` : null}
          </section>
          <section class="sweep" aria-labelledby="sweep-h">
            <div class="chart-head"><h2 id="sweep-h">Sweep</h2><span class="spacer"></span>
              <button class="sweep-toggle" aria-pressed=${this.sweepOpen ? 'true' : 'false'}
                @click=${() => (this.sweepOpen = !this.sweepOpen)}>${this.sweepOpen ? 'Hide sweep' : 'Show sweep'}</button></div>
            ${this.sweepOpen ? html`<vgp-sweep-view></vgp-sweep-view>` : null}
          </section>
          ${
            this.loaded
              ? html`<p class="loaded" role="status">Loaded “${this.loaded}”: ${
                  t.playing
                    ? 'training has started.'
                    : runs.length > 0 && runs.every((r) => r.finished)
                      ? 'trained to the step limit (Reset trains it again).'
                      : html`press <button class="loaded-play" @click=${() => t.play()}>▶ Play</button> to train.`
                }</p>`
              : null
          }
          ${
            s.variants.length >= MAX_VARIANTS
              ? html`<p class="why remedy-why">The remedy buttons are off: at most ${MAX_VARIANTS} variants; remove one (left panel) to add another.</p>`
              : null
          }
          <div class="cards" @vgp-add-variant=${this.addFromVerdict} @vgp-png=${this.onPng}>
            ${runs.map(
              (r, i) => html`<vgp-run-card .run=${r} index=${i} color=${runColor(i)} .domain=${t.domain}
                summary=${runSummary(toExperimentConfig(r.spec, s.shared))} context=${this.context()}
                .focusLayer=${this.picked?.run === i ? this.picked.layer : null}
                ?canAdd=${s.variants.length < MAX_VARIANTS}></vgp-run-card>`,
            )}
          </div>
        </main>
      </div>`;
  }

  /**
   * Applies a new state: URL, worker (a fresh start for every run) and view. An edited preset keeps
   * its id: the Learn panel still explains where the comparison came from.
   */
  private commit(next: PlaygroundState): void {
    this.state = next;
    this.loaded = null;
    this.writeUrl();
    this.training.configure(next);
  }

  private writeUrl(): void {
    window.history.replaceState(null, '', `?${serializeState(this.state)}`);
  }

  private reset = () => this.training.configure(this.state);

  private toggleNetwork = () => {
    this.training.setNetwork(!this.training.networkOpen);
    this.requestUpdate();
  };

  private onLayerSelect = (e: CustomEvent<{ run: number; layer: string }>) => {
    this.picked = { ...e.detail };
  };

  private onSpeed = (e: CustomEvent<number>) => {
    const next = cloneState(this.state);
    next.shared.speed = e.detail;
    this.state = next;
    this.writeUrl();
    this.training.setSpeed(e.detail);
  };

  private onShared = (e: CustomEvent<SharedSettings>) => {
    const next = cloneState(this.state);
    next.shared = e.detail;
    this.commit(next);
  };

  private onRunChange = (e: CustomEvent<RunChangeDetail>) => {
    const next = cloneState(this.state);
    if (e.detail.index === 0) next.baseline = e.detail.spec;
    else next.variants[e.detail.index - 1] = e.detail.spec;
    this.commit(next);
  };

  /** A click on the phase diagram: the run takes that (sigma_w, sigma_b); orthogonal stays orthogonal. */
  private onInitChange = (e: CustomEvent<InitChangeDetail>) => {
    const next = cloneState(this.state);
    const { index, sigmaW, sigmaB } = e.detail;
    const run = index === 0 ? next.baseline : next.variants[index - 1];
    if (!run) return;
    const init = run.init === 'orthogonal' ? 'orthogonal' : 'scaled';
    const changed = { ...run, init, sigmaW, sigmaB } as const;
    if (index === 0) next.baseline = changed;
    else next.variants[index - 1] = changed;
    this.commit(next);
  };

  private onRunRemove = (e: CustomEvent<{ index: number }>) => {
    const next = cloneState(this.state);
    next.variants.splice(e.detail.index - 1, 1);
    this.commit(next);
  };

  private addBlank = () =>
    this.addVariant({ ...this.state.baseline, label: `variant ${this.state.variants.length + 1}` });

  private addFromVerdict = (e: CustomEvent<AddVariantDetail>) => {
    const from = allRuns(this.state)[e.detail.from];
    const spec = from && applyRemedy(from, e.detail.patch, `${from.label} + ${e.detail.label}`);
    if (spec) this.addVariant(spec);
  };

  private addVariant(spec: RunSpec): void {
    if (this.state.variants.length >= MAX_VARIANTS) return;
    const next = cloneState(this.state);
    next.variants.push(spec);
    this.commit(next);
  }

  private loadPreset = (e: CustomEvent<string>) => {
    const preset = PRESETS.find((p) => p.id === e.detail);
    if (!preset) return;
    const next = presetState(preset, this.state.shared);
    this.commit(next);
    // Show what loaded: say so above the cards, with a Play button there (on a phone the header's is
    // scrolled away), and bring the cards into view (below the sticky header at 1280; the description
    // the Load button sits in may be thousands of pixels up on a phone). Training starts on Play, as
    // after any other change, so a Load never trains what the user has not asked for.
    this.loaded = preset.title;
    this.pinCards = true;
    this.pinUntil = performance.now() + 2000;
    for (const e of ['wheel', 'touchstart', 'keydown'])
      window.addEventListener(e, this.unpin, { once: true });
    void this.updateComplete.then(() => this.scrollToCards());
  };

  private scrollToCards(): void {
    const target = this.renderRoot.querySelector('.loaded') ?? this.renderRoot.querySelector('.cards');
    target?.scrollIntoView({ block: 'start' });
  }

  protected override updated(): void {
    // The first steps fill the histogram and curve panels above the cards, which moves them down.
    const stepped = this.pinCards && (this.training.runs[0]?.step ?? 0) > 0;
    if (stepped || performance.now() < this.pinUntil) {
      if (stepped) this.pinCards = false;
      requestAnimationFrame(() => this.scrollToCards());
    }
  }

  /** Regression tasks have no accuracy: the panel is left out and the loss chart takes the row. */
  private hasMetric(): boolean {
    if (this.state.shared.task === 'adding') return false;
    const runs = this.training.runs;
    const started = runs.some((r) => r.step > 0 && r.metric.length > 0);
    return !started || runs.some((r) => r.metric.some((v) => Number.isFinite(v)));
  }

  /** What the comparison is, for exported images: the preset's title, or the task. */
  private context(): string {
    const preset = PRESETS.find((p) => p.id === this.state.preset);
    return preset ? preset.title : `task ${label(this.state.shared.task)}`;
  }

  private renderCli() {
    if (!this.cliOpen) return null;
    const { json, commands } = cliText(this.state);
    return html`<section class="cli" aria-labelledby="cli-h">
      <h2 id="cli-h">This comparison from the command line</h2>
      <p>Save the JSON as <code>${CLI_FILE}</code>, then run (from the repository, after <code>npm run build</code>):</p>
      <pre class="cli-commands" tabindex="0">${commands}</pre>
      <pre class="cli-json" tabindex="0" aria-label="vgp compare config">${json}</pre>
      <div class="chart-head"><button class="cli-download"
        @click=${() => download(new Blob([json], { type: 'application/json' }), CLI_FILE)}>Download ${CLI_FILE}</button></div>
    </section>`;
  }

  private exportJson = async () => {
    const runs = await this.training.exportRuns();
    download(new Blob([exportJson(this.state, runs)], { type: 'application/json' }), 'vgp-runs.json');
  };

  private exportCsv = async () => {
    const runs = await this.training.exportRuns();
    download(new Blob([exportCsv(runs)], { type: 'text/csv' }), 'vgp-runs.csv');
  };

  private async png(chart: VgpCurveChart | undefined, what: string): Promise<void> {
    const blob = await chart?.toPng();
    if (blob) download(blob, `vgp-${what}.png`);
  }

  private onPng = (e: CustomEvent<{ blob: Blob; name: string }>) => download(e.detail.blob, e.detail.name);
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-app': VgpApp;
  }
}
