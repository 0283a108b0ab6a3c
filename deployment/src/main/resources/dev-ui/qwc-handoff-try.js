import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/button';
import '@vaadin/text-field';
import '@vaadin/select';
import '@vaadin/progress-bar';

/**
 * Try a handoff against the running application: the opener's words appear in one colour, the continuation in
 * another, with the timings and the rules that fired (each with its package and the reasons it gave).
 */
export class QwcHandoffTry extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: 1em; padding: 1em; }
        .form { display: flex; gap: 1em; align-items: end; flex-wrap: wrap; }
        .question { flex: 1; min-width: 20em; }
        .reply { font-size: 1.3em; line-height: 1.6; min-height: 3em; }
        .opener { color: var(--lumo-primary-text-color); font-weight: 600; }
        .continuation { color: var(--lumo-success-text-color); }
        .error { color: var(--lumo-error-text-color); }
        .meta { display: flex; gap: 3em; flex-wrap: wrap; }
        table { border-collapse: collapse; }
        td { padding: 0.1em 1em 0.1em 0; }
        td.num { text-align: right; font-family: monospace; }
        ol { margin: 0; padding-left: 1.4em; }
        .package { color: var(--lumo-secondary-text-color); font-size: 0.85em; }
        .reason { color: var(--lumo-secondary-text-color); font-style: italic; }
    `;

    static properties = {
        _profiles: { state: true },
        _profile: { state: true },
        _question: { state: true },
        _opener: { state: true },
        _continuation: { state: true },
        _done: { state: true },
        _rules: { state: true },
        _error: { state: true },
        _running: { state: true },
    };

    constructor() {
        super();
        this._profiles = [];
        this._profile = 'phone';
        this._question = 'Set a timer for 10 minutes';
        this._reset();
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.info().then(response => {
            this._profiles = response.result.profiles.map(p => ({ label: p.name + ' (' + p.modality + ')', value: p.name }));
        });
    }

    disconnectedCallback() {
        if (this._observer) this._observer.cancel();
        super.disconnectedCallback();
    }

    _reset() {
        this._opener = [];
        this._continuation = '';
        this._done = null;
        this._rules = [];
        this._error = null;
    }

    render() {
        return html`
            <div class="form">
                <vaadin-text-field class="question" label="Question" .value=${this._question}
                    @value-changed=${e => this._question = e.detail.value}
                    @keydown=${e => { if (e.key === 'Enter') this._run(); }}></vaadin-text-field>
                <vaadin-select label="Device profile" .items=${this._profiles} .value=${this._profile}
                    @value-changed=${e => this._profile = e.detail.value}></vaadin-select>
                <vaadin-button theme="primary" @click=${this._run} ?disabled=${this._running}>Hand off</vaadin-button>
            </div>
            ${this._running ? html`<vaadin-progress-bar indeterminate></vaadin-progress-bar>` : ''}
            <div class="reply">
                ${this._opener.map(word => html`<span class="opener" title="confidence ${word.confidence.toFixed(2)}">${word.text}</span>`)}<span class="continuation">${this._continuation}</span>
                ${this._error ? html`<div class="error">${this._error}</div>` : ''}
            </div>
            <div class="meta">
                ${this._renderTimings()}
                ${this._rules.length ? html`<div><b>Rules that fired</b><ol>${this._rules.map(r => this._renderRule(r))}</ol></div>` : ''}
            </div>`;
    }

    /** A fired rule ({name, package, reasons} as in the plan's rules): its package tells a namesake apart. */
    _renderRule(rule) {
        return html`<li>${rule.name}${rule.package ? html` <span class="package">${rule.package}</span>` : ''}
            ${(rule.reasons || []).map(reason => html`<div class="reason">because ${reason}</div>`)}</li>`;
    }

    _renderTimings() {
        if (!this._done) return '';
        const t = this._done.timings;
        const row = (label, value) => html`<tr><td>${label}</td><td class="num">${value == null ? '-' : value.toFixed(1) + ' ms'}</td></tr>`;
        return html`<div><b>Timings</b> (${this._done.strategy}${this._done.degraded ? ', degraded' : ''})<table>
            ${row('opener first token', t.openerFirstTokenMs)}
            ${row('opener first word', t.openerFirstWordMs)}
            ${row('opener done', t.openerDoneMs)}
            ${row('cloud request sent', t.cloudRequestSentMs)}
            ${row('cloud first token', t.cloudFirstTokenMs)}
            ${row('seam gap', t.seamGapMs)}
            ${row('total', t.totalMs)}
        </table></div>`;
    }

    _run() {
        if (this._observer) this._observer.cancel();
        this._reset();
        this._running = true;
        this._observer = this.jsonRpc.tryHandoff({ question: this._question, profile: this._profile })
            .onNext(response => this._onEvent(response.result))
            .onError(error => { this._error = String(error); this._running = false; });
    }

    _onEvent(event) {
        switch (event.type) {
            case 'opener':
                this._opener = [...this._opener, event];
                break;
            case 'handoff':
                this._rules = event.plan ? event.plan.rules : [];
                break;
            case 'continuation':
                this._continuation = this._continuation + event.delta;
                break;
            case 'correction':
                this._rules = [...this._rules, { name: 'correction: ' + event.method, reasons: [event.reason] }];
                break;
            case 'done':
                this._done = event;
                this._running = false;
                break;
            case 'error':
                this._error = event.message;
                this._running = false;
                break;
        }
    }
}
customElements.define('qwc-handoff-try', QwcHandoffTry);
