// The moderation part of the operator dashboard: the queue of reported sites (suspend, keep up or remove each, with a
// reason), blocks, and the audit log. Loaded when the dashboard connects and after each action, not on the 10-second
// refresh, so a reason being typed is never wiped.
(() => {
  const { operatorApi: call, el } = window.FourSite;
  const $ = id => document.getElementById(id);
  const status = text => { $('moderation-status').textContent = text; };
  const when = value => new Date(value).toLocaleString();

  /** A button that runs <run> with the reason typed in <reason> (refusing without one), then reloads the panel. */
  function reasonButton(reason, label, testid, run) {
    const button = el('button', { type: 'button', class: 'secondary small', 'data-testid': testid, text: label });
    button.addEventListener('click', async () => {
      const why = reason.value.trim();
      if (!why) { status('Give a reason first.'); reason.focus(); return; }
      button.disabled = true;
      try { await run(why); await load(); } catch (error) { status(error.message); } finally { button.disabled = false; }
    });
    return button;
  }

  function queueItem(site) {
    const reason = el('input', { id: `reason-${site.siteId}`, required: true, maxlength: 1000, 'data-testid': 'moderation-reason', placeholder: 'Reason (kept in the log, told to the owner)' });
    const act = (label, testid, run) => reasonButton(reason, label, testid, run);
    const reasons = Object.entries(site.reasons).map(([name, count]) => `${name} × ${count}`).join(', ');
    return el('li', { class: 'card', 'data-site-id': site.siteId },
      el('p', {}, el('a', { href: `/s/${encodeURIComponent(site.slug)}`, rel: 'noopener', text: site.slug }), ` (${site.repository}) · `,
        el('span', { class: `badge ${site.state === 'live' ? 'warning' : 'critical'}`, text: site.state }), ` · ${site.reports} report(s): ${reasons}`),
      el('ul', {}, ...site.items.map(item => el('li', { text: `${when(item.reportedAt)} · ${item.reason}${item.details ? ` — ${item.details}` : ''}${item.contact ? ` (${item.contact})` : ''}` }))),
      el('label', { for: `reason-${site.siteId}`, text: 'Reason' }), reason,
      el('div', { class: 'field-row' },
        act('Suspend (abuse, 410)', 'moderation-suspend', why => call(`/api/moderation/sites/${site.siteId}/suspend`, { method: 'POST', body: { kind: 'abuse', reason: why } })
          .then(() => status(`${site.slug} suspended.`))),
        act('Suspend (legal, 451)', 'moderation-suspend-legal', why => call(`/api/moderation/sites/${site.siteId}/suspend`, { method: 'POST', body: { kind: 'legal', reason: why } })
          .then(() => status(`${site.slug} suspended.`))),
        act(site.state === 'live' ? 'Keep it up' : 'Restore', 'moderation-restore', why => call(`/api/moderation/sites/${site.siteId}/restore`, { method: 'POST', body: { reason: why } })
          .then(() => status(`${site.slug} is live.`))),
        act('Remove for good', 'moderation-remove', async why => {
          if (!window.confirm(`Remove ${site.slug} for good? Its page, leads and shares go, and this cannot be undone.`)) return;
          await call(`/api/moderation/sites/${site.siteId}?reason=${encodeURIComponent(why)}`, { method: 'DELETE' });
          status(`${site.slug} removed.`);
        })));
  }

  function heldItem(commission) {
    const reason = el('input', { id: `held-${commission.commissionId}`, required: true, maxlength: 1000, 'data-testid': 'held-reason', placeholder: 'Reason' });
    const decide = (label, testid, action) => reasonButton(reason, label, testid,
      why => call(`/api/commissions/${commission.commissionId}/${action}`, { method: 'POST', body: { reason: why } }));
    const amount = (commission.amountCents / 100).toLocaleString('en', { style: 'currency', currency: commission.currency.toUpperCase() });
    return el('li', { class: 'card' }, `${amount} via ${commission.referralCode ?? 'a referral'} on ${when(commission.earnedAt)}: held (${commission.holdReason.replaceAll('_', ' ')}) `,
      el('label', { for: `held-${commission.commissionId}`, text: 'Reason' }), reason,
      decide('Release', 'held-release', 'release'), decide('Reverse', 'held-reverse', 'reverse'));
  }

  async function load() {
    try {
      const [queue, blocks, actions, held] = await Promise.all([call('/api/moderation/reports?state=open'), call('/api/moderation/blocks'),
        call('/api/moderation/actions?limit=50'), call('/api/commissions/held')]);
      $('held-commissions').replaceChildren(...(held.length ? held.map(heldItem) : [el('li', { class: 'muted', text: 'No commission is held.' })]));
      $('moderation-queue').replaceChildren(...(queue.length ? queue.map(queueItem) : [el('li', { class: 'muted', text: 'No open reports.' })]));
      $('blocks').replaceChildren(...blocks.map(block => {
        const lift = el('button', { type: 'button', class: 'secondary small', 'data-testid': 'block-lift', text: 'Lift' });
        lift.addEventListener('click', async () => {
          try { await call(`/api/moderation/blocks/${block.id}`, { method: 'DELETE' }); await load(); } catch (error) { status(error.message); }
        });
        return el('li', {}, `${block.kind} ${block.value}: ${block.reason} (${block.actor}, ${when(block.createdAt)}) `, lift);
      }));
      $('moderation-actions').replaceChildren(...actions.map(action => el('tr', {},
        el('td', { text: when(action.at) }), el('td', { text: action.actor }), el('td', { text: action.action }), el('td', { text: action.subject ?? '' }), el('td', { text: action.reason }))));
    } catch (error) {
      status(`Could not load moderation: ${error.message}`);
    }
  }

  $('block-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const result = await call('/api/moderation/blocks', { method: 'POST', body: {
        kind: $('block-kind').value, value: $('block-value').value.trim(), reason: $('block-reason').value.trim(), suspendExisting: $('block-suspend').checked } });
      status(`Blocked ${result.kind} ${result.value}${result.suspended ? `; ${result.suspended} site(s) suspended` : ''}.`);
      $('block-form').reset();
      await load();
    } catch (error) {
      status(error.message);
    }
  });
  $('moderation-refresh').addEventListener('click', load);
  document.addEventListener('foursite:ops-connected', load);
})();
