// A site owner's ways to get leads out, on the dashboard: the full export as a download, and signed webhooks (add,
// test, rotate the secret, turn back on, remove, and see the latest deliveries with every attempt).
(() => {
  const { api, el, action } = window.FourSite;
  const EVENTS = ['lead.captured', 'lead.erased', 'share.milestone', 'site.featured', 'site.upgraded', 'site.regenerated'];
  const when = value => (value ? new Date(value).toLocaleString() : '');

  /** Downloads every lead of the site; a blob, because an owner token travels in a header a plain link cannot carry. */
  async function exportLeads(site, headers, format) {
    return download(`/api/leads/export?siteId=${encodeURIComponent(site.siteId)}&format=${format}`, headers, `leads.${format}`);
  }

  /** Fetches <path> as the owner (<headers>) and saves it under the name the answer gives; resolves with that name. */
  async function download(path, headers, fallbackName) {
    const response = await fetch(path, { headers });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      throw new Error(problem?.detail || problem?.title || `The download failed (${response.status}).`);
    }
    const disposition = response.headers.get('Content-Disposition') || '';
    const fileName = decodeURIComponent((disposition.match(/filename\*?=(?:UTF-8'')?"?([^";]+)/i) || [])[1] || fallbackName);
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: fileName, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return fileName;
  }

  /** The webhooks section of one site's card: built when the owner opens it, so nothing waits in the page before. */
  function webhooksPanel(site, headers) {
    const base = `/api/sites/${encodeURIComponent(site.siteId)}/webhooks`;
    const list = el('ul', { class: 'webhooks', 'aria-label': 'Webhooks' });
    const status = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    const secret = el('div', { class: 'secret' });

    const showSecret = (text, value) => secret.replaceChildren(
      el('p', { text }),
      el('code', { 'data-testid': 'webhook-secret', text: value }),
      el('p', { class: 'muted', text: 'Copy it now: it is not shown again. Your endpoint verifies each request’s webhook-signature with it.' }));

    const act = (label, testid, run) => action(label, testid, run, status);

    const deliveriesOf = (webhook, into) => async () => {
      const deliveries = await api(`${base}/${webhook.webhookId}/deliveries`, { headers });
      into.replaceChildren(...(deliveries.length ? deliveries.map(delivery => {
        const attempts = delivery.attemptLog.map(attempt =>
          `${attempt.statusCode ?? attempt.error ?? 'no answer'} in ${Math.round(attempt.latencyMs)} ms`).join(', ');
        const next = delivery.nextAttemptAt ? ` · next attempt ${when(delivery.nextAttemptAt)}` : '';
        return el('li', { 'data-testid': 'webhook-delivery', 'data-status': delivery.status },
          el('strong', { text: delivery.event }), ` · ${delivery.status} · ${when(delivery.createdAt)}`,
          attempts ? ` · ${attempts}` : '', next,
          act('Redeliver', 'webhook-redeliver', async () => {
            await api(`${base}/${webhook.webhookId}/deliveries/${delivery.deliveryId}/redeliver`, { method: 'POST', headers });
            status.textContent = 'Sent again, with the same webhook-id.';
          }));
      }) : [el('li', { class: 'muted', text: 'Nothing delivered yet.' })]));
    };

    const item = webhook => {
      const deliveries = el('ul', { class: 'deliveries', 'aria-label': `Latest deliveries to ${webhook.url}` });
      const state = webhook.enabled
        ? el('span', { class: 'badge ok', text: 'On' })
        : el('span', { class: 'badge critical', 'data-testid': 'webhook-disabled', text: `Off: ${webhook.disabledReason || 'disabled'}` });
      return el('li', { 'data-testid': 'webhook', 'data-webhook-id': webhook.webhookId },
        el('code', { text: webhook.url }), ' ', state,
        el('p', { class: 'muted', text: webhook.events.join(', ') }),
        el('div', { class: 'actions' },
          act('Send a test', 'webhook-test', async () => {
            await api(`${base}/${webhook.webhookId}/test`, { method: 'POST', headers });
            status.textContent = 'A webhook.test event is on its way.';
            await deliveriesOf(webhook, deliveries)();
          }),
          act('Latest deliveries', 'webhook-deliveries', deliveriesOf(webhook, deliveries)),
          act('Rotate secret', 'webhook-rotate', async () => {
            const rotated = await api(`${base}/${webhook.webhookId}/rotate-secret`, { method: 'POST', headers });
            showSecret(`New secret for ${webhook.url}; the old one keeps signing beside it until ${when(rotated.previousSecretExpiresAt)}.`, rotated.secret);
          }),
          webhook.enabled ? null : act('Turn back on', 'webhook-enable', async () => { await api(`${base}/${webhook.webhookId}/enable`, { method: 'POST', headers }); await refresh(); }),
          act('Remove', 'webhook-remove', async () => {
            if (!confirm(`Stop sending events to ${webhook.url}?`)) return;
            await api(`${base}/${webhook.webhookId}`, { method: 'DELETE', headers });
            await refresh();
          })),
        deliveries);
    };

    // Refreshes can overlap (opening the panel, then adding at once): only the latest one's answer is shown.
    let latest = 0;
    async function refresh() {
      const mine = ++latest;
      const webhooks = await api(base, { headers });
      if (mine !== latest) return;
      list.replaceChildren(...(webhooks.length ? webhooks.map(item) : [el('li', { class: 'muted', text: 'No webhooks yet.' })]));
    }

    const id = `webhook-url-${site.siteId}`;
    const url = el('input', { type: 'url', id, required: true, placeholder: 'https://example.com/foursite', 'data-testid': 'webhook-url' });
    const events = EVENTS.map(event => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: event, checked: event === 'lead.captured', 'data-testid': `webhook-event-${event}` }), ` ${event}`));
    const add = el('form', { class: 'webhook-form', 'data-testid': 'webhook-form' },
      el('label', { for: id, text: 'Send events to' }), url,
      el('fieldset', {}, el('legend', { text: 'Events' }), ...events),
      el('button', { type: 'submit', 'data-testid': 'webhook-add', text: 'Add webhook' }));
    add.addEventListener('submit', async event => {
      event.preventDefault();
      const chosen = events.map(label => label.querySelector('input')).filter(box => box.checked).map(box => box.value);
      try {
        const created = await api(base, { method: 'POST', headers, body: { url: url.value.trim(), events: chosen } });
        showSecret(`Webhook added for ${created.url}. Its signing secret:`, created.secret);
        url.value = '';
        status.textContent = '';
        await refresh();
      } catch (error) { status.textContent = error.message; }
    });

    const panel = el('section', { class: 'webhooks-panel', 'aria-label': `Webhooks of ${site.title || site.slug}` },
      el('h4', { text: 'Webhooks' }), list, secret, add, status);
    refresh().catch(error => { status.textContent = error.message; });
    return panel;
  }

  window.FourSite.exportLeads = exportLeads;
  window.FourSite.download = download;
  window.FourSite.webhooksPanel = webhooksPanel;
})();
