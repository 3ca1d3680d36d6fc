// Silences on the operator dashboard: silence a rule for a while with a reason, see who silenced what until when, end a
// silence early. Loaded when the dashboard connects and after each change, so a reason being typed is never wiped.
(() => {
  const { operatorApi: call, el } = window.FourSite;
  const $ = id => document.getElementById(id);
  const status = text => { $('silence-status').textContent = text; };
  const when = value => new Date(value).toLocaleString();

  function silenceItem(silence) {
    const item = el('li', { 'data-silence-id': silence.id },
      `${silence.rule}: ${silence.reason} (${silence.createdBy}, ${when(silence.createdAt)}) · `,
      silence.active ? `until ${when(silence.endsAt)} ` : (silence.cancelledAt ? `ended by ${silence.cancelledBy} ${when(silence.cancelledAt)}` : `ended ${when(silence.endsAt)}`));
    if (silence.active) {
      const end = el('button', { type: 'button', class: 'secondary small', 'data-testid': 'silence-end', text: 'End now' });
      end.addEventListener('click', async () => {
        end.disabled = true;
        try { await call(`/api/alerts/silences/${silence.id}`, { method: 'DELETE' }); status(`${silence.rule} is no longer silenced.`); await load(); }
        catch (error) { status(error.message); end.disabled = false; }
      });
      item.append(end);
    }

    return item;
  }

  async function load() {
    try {
      const [alerts, silences] = await Promise.all([call('/api/alerts'), call('/api/alerts/silences')]);
      const rule = $('silence-rule');
      if (!rule.options.length) {
        rule.replaceChildren(...alerts.rules.map(item => el('option', { value: item.name, text: `${item.name} (${item.severity})` })));
      }

      $('silences').replaceChildren(...(silences.length ? silences.map(silenceItem) : [el('li', { class: 'muted', text: 'No silences this week.' })]));
    } catch (error) {
      status(`Could not load silences: ${error.message}`);
    }
  }

  $('silence-form').addEventListener('submit', async event => {
    event.preventDefault();
    const reason = $('silence-reason').value.trim();
    if (!reason) { status('Give a reason first.'); $('silence-reason').focus(); return; }
    try {
      const silence = await call('/api/alerts/silences', { method: 'POST', body: { rule: $('silence-rule').value, duration: $('silence-duration').value, reason } });
      status(`${silence.rule} silenced until ${when(silence.endsAt)}.`);
      $('silence-reason').value = '';
      await load();
    } catch (error) {
      status(error.message);
    }
  });
  document.addEventListener('foursite:ops-connected', load);
})();
