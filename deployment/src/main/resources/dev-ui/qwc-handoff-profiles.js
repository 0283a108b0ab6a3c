import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { openerModel, cloudModel, cloudProviders, builtInProfiles, observability } from 'build-time-data';

/**
 * What the application runs with: the opener model, the continuator, the device profiles and the observability.
 */
export class QwcHandoffProfiles extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: block; padding: 1em; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { text-align: left; padding: 0.2em 1.5em 0.2em 0; }
        th { color: var(--lumo-secondary-text-color); font-weight: normal; }
        code { font-size: 0.95em; }
    `;

    static properties = {
        _info: { state: true },
    };

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.info().then(response => this._info = response.result);
    }

    render() {
        const info = this._info;
        const profiles = info ? info.profiles : builtInProfiles;
        return html`
            <table>
                <tr><th>Opener model</th><td><code>${openerModel}</code></td></tr>
                <tr><th>Continuator</th><td>${info ? html`<code>${info.continuator}</code> (strategy ${info.strategy})` : '...'}</td></tr>
                <tr><th>Cloud model</th><td><code>${cloudModel}</code>${cloudProviders.length ? ' via ' + cloudProviders.join(', ') : ' (no provider extension)'}</td></tr>
                <tr><th>Metrics</th><td>${observability.micrometer ? 'Micrometer: handoff.* meters' : 'off (add quarkus-micrometer)'}</td></tr>
                <tr><th>Traces</th><td>${observability.opentelemetry ? 'OpenTelemetry: one span per handoff' : 'off (add quarkus-opentelemetry)'}</td></tr>
            </table>
            <table>
                <tr><th>Profile</th><th>Modality</th><th>Words per second</th></tr>
                ${profiles.map(p => html`<tr><td>${p.name}</td><td>${p.modality}</td><td>${p.wordsPerSecond}</td></tr>`)}
            </table>`;
    }
}
customElements.define('qwc-handoff-profiles', QwcHandoffProfiles);
