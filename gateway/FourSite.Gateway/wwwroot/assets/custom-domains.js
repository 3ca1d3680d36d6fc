// A Pro site's custom domains, on the dashboard: add one, see the TXT record that proves it, verify it, remove it.
(() => {
  const { api, el, action } = window.FourSite;

  /** The custom domains section of one Pro site's card, built when its owner opens it. */
  function domainsPanel(site, headers) {
    const base = `/api/sites/${encodeURIComponent(site.siteId)}/domains`;
    const list = el('ul', { class: 'domains', 'aria-label': 'Custom domains' });
    const status = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });

    const act = (label, testid, run) => action(label, testid, run, status);

    const item = domain => el('li', { 'data-testid': 'custom-domain', 'data-domain': domain.domain },
      el('code', { text: domain.domain }), ' ',
      domain.status === 'verified'
        ? el('span', { class: 'badge ok', text: 'Verified · served as this site' })
        : el('span', { class: 'badge warning', text: 'Waiting for its DNS record' }),
      domain.status === 'verified' ? null : el('p', { class: 'muted' }, 'Add this TXT record at your DNS provider, then verify: ',
        el('code', { 'data-testid': 'domain-txt-name', text: domain.verification.name }), ' = ',
        el('code', { 'data-testid': 'domain-txt-value', text: domain.verification.value })),
      el('div', { class: 'actions' },
        domain.status === 'verified' ? null : act('Verify', 'domain-verify', async () => {
          await api(`${base}/${encodeURIComponent(domain.domain)}/verify`, { method: 'POST', headers });
          status.textContent = `${domain.domain} is verified: point its DNS (CNAME or A) at FourSite to serve it.`;
          await refresh();
        }),
        act('Remove', 'domain-remove', async () => {
          if (!confirm(`Stop serving this site on ${domain.domain}?`)) return;
          await api(`${base}/${encodeURIComponent(domain.domain)}`, { method: 'DELETE', headers });
          await refresh();
        })));

    async function refresh() {
      const domains = await api(base, { headers });
      list.replaceChildren(...(domains.length ? domains.map(item) : [el('li', { class: 'muted', text: 'No custom domain yet.' })]));
    }

    const id = `domain-${site.siteId}`;
    const input = el('input', { type: 'text', id, required: true, placeholder: 'docs.example.org', autocomplete: 'off', 'data-testid': 'domain-input' });
    const form = el('form', { class: 'actions' }, el('label', { for: id, text: 'Your domain' }), input,
      el('button', { type: 'submit', 'data-testid': 'domain-add', text: 'Add domain' }));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      try {
        await api(base, { method: 'POST', headers, body: { domain: input.value.trim() } });
        input.value = '';
        status.textContent = '';
        await refresh();
      } catch (error) { status.textContent = error.message; }
    });

    refresh().catch(error => { status.textContent = error.message; });
    return el('section', { class: 'webhooks-panel', 'aria-label': `Custom domains of ${site.title || site.slug}` },
      el('h4', { text: 'Custom domains' }), list, form, status);
  }

  window.FourSite.domainsPanel = domainsPanel;
})();
