// A verified maintainer's email for one site, on the dashboard: subscriber counts, announcements (compose, preview,
// test to yourself, send; release drafts to review), what releases do, and how new leads reach you.
(() => {
  const { api, el, action } = window.FourSite;
  const when = value => (value ? new Date(value).toLocaleString() : '');

  /** The email section of one site's card: built when the maintainer opens it. */
  function emailPanel(site) {
    const base = `/api/sites/${encodeURIComponent(site.siteId)}`;
    const status = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    const counts = el('p', { class: 'muted', 'data-testid': 'subscriber-counts', text: 'Loading…' });
    const history = el('ul', { class: 'announcements', 'aria-label': 'Announcements' });
    const act = (label, testid, run) => action(label, testid, run, status);

    const item = announcement => {
      const tally = announcement.status === 'draft' ? 'draft, not sent'
        : `${announcement.sent} sent · ${announcement.queued} queued · ${announcement.failed + announcement.suppressed} failed · ${announcement.unsubscribedSince} unsubscribed since`;
      const row = el('li', { 'data-testid': 'announcement', 'data-status': announcement.status },
        el('strong', { text: announcement.subject }),
        ` · ${announcement.audience === 'test' ? 'test to you' : announcement.release ? `release ${announcement.release}` : 'to subscribers'} · ${when(announcement.sentAt || announcement.createdAt)} · ${tally}`);
      if (announcement.status === 'draft') {
        row.append(el('div', { class: 'actions' },
          act('Review in the editor', 'announcement-review', async () => { subject.value = announcement.subject; markdown.value = announcement.markdown; draftId = announcement.id; }),
          act('Send to subscribers', 'announcement-send-draft', async () => {
            const sent = await api(`${base}/announcements/${announcement.id}/send`, { method: 'POST', body: draftId === announcement.id ? { subject: subject.value, markdown: markdown.value } : {} });
            status.textContent = `Sending to ${sent.recipients} confirmed subscriber(s).`;
            await refresh();
          }),
          act('Discard', 'announcement-discard', async () => { await api(`${base}/announcements/${announcement.id}`, { method: 'DELETE' }); await refresh(); })));
      }
      return row;
    };

    async function refresh() {
      const [subscribers, announcements] = await Promise.all([api(`${base}/announcements/subscribers`), api(`${base}/announcements`)]);
      counts.textContent = `${subscribers.confirmed} confirmed · ${subscribers.pending} waiting to confirm · ${subscribers.unsubscribed} unsubscribed · ${subscribers.suppressed} undeliverable`;
      history.replaceChildren(...(announcements.length ? announcements.map(item) : [el('li', { class: 'muted', text: 'No announcements yet.' })]));
    }

    let draftId = null;
    const subjectId = `announcement-subject-${site.siteId}`;
    const bodyId = `announcement-markdown-${site.siteId}`;
    const subject = el('input', { id: subjectId, maxlength: 200, required: true, 'data-testid': 'announcement-subject' });
    const markdown = el('textarea', { id: bodyId, rows: 8, required: true, 'data-testid': 'announcement-markdown', placeholder: 'Markdown: **bold**, [links](https://…), lists' });
    // Made on the first preview, so no empty preview waits in the page before.
    let preview = null;
    const send = audience => async () => {
      const body = { subject: subject.value, markdown: markdown.value, audience };
      const sent = draftId ? await api(`${base}/announcements/${draftId}/send`, { method: 'POST', body }) : await api(`${base}/announcements`, { method: 'POST', body });
      status.textContent = audience === 'test' ? 'A test is on its way to your notification address.' : `Sending to ${sent.recipients} confirmed subscriber(s).`;
      if (audience !== 'test') { subject.value = ''; markdown.value = ''; draftId = null; }
      await refresh();
    };
    const compose = el('form', { class: 'announcement-form', 'data-testid': 'announcement-form' },
      el('label', { for: subjectId, text: 'Subject' }), subject,
      el('label', { for: bodyId, text: 'Message' }), markdown,
      el('div', { class: 'actions' },
        act('Preview', 'announcement-preview-button', async () => {
          const rendered = await api(`${base}/announcements/preview`, { method: 'POST', body: { subject: subject.value, markdown: markdown.value } });
          const shown = el('iframe', { class: 'preview', title: `Preview of ${rendered.subject}`, sandbox: '', srcdoc: rendered.html, 'data-testid': 'announcement-preview' });
          if (preview) preview.replaceWith(shown); else compose.append(shown);
          preview = shown;
        }),
        act('Send a test to me', 'announcement-test', send('test')),
        act('Send to subscribers', 'announcement-send', async () => {
          if (!confirm(`Email "${subject.value}" to every confirmed subscriber of ${site.title || site.slug}?`)) return;
          await send('subscribers')();
        })));
    compose.addEventListener('submit', event => event.preventDefault());

    const releases = el('select', { id: `releases-${site.siteId}`, 'data-testid': 'release-setting' },
      el('option', { value: 'review', text: 'draft an announcement for me to review' }),
      el('option', { value: 'auto', text: 'announce it to subscribers at once' }),
      el('option', { value: 'off', text: 'do nothing' }));
    releases.addEventListener('change', () => api(`${base}/announcements/settings`, { method: 'PUT', body: { releases: releases.value } })
      .then(() => { status.textContent = 'Saved.'; }, error => { status.textContent = error.message; }));

    const leadsMode = el('select', { id: `lead-notifications-${site.siteId}`, 'data-testid': 'lead-notifications' },
      el('option', { value: 'off', text: 'no email' }),
      el('option', { value: 'instant', text: 'an email for each new lead' }),
      el('option', { value: 'digest', text: 'a daily digest' }));
    const hour = el('input', { type: 'number', min: 0, max: 23, value: 9, id: `digest-hour-${site.siteId}`, 'aria-label': 'Digest hour (UTC)', 'data-testid': 'digest-hour' });
    const saveLeads = () => api(`${base}/notifications`, { method: 'PUT', body: { leads: leadsMode.value, digestHour: Number(hour.value) } })
      .then(() => { status.textContent = leadsMode.value === 'off' ? 'Saved.' : 'Saved: emails go to your verified notification address.'; }, error => { status.textContent = error.message; });
    leadsMode.addEventListener('change', saveLeads);
    hour.addEventListener('change', saveLeads);

    const panel = el('section', { class: 'email-panel', 'aria-label': `Email of ${site.title || site.slug}` },
      el('h4', { text: 'Subscribers' }), counts,
      el('p', {}, el('label', { for: releases.id, text: 'When the repository publishes a release: ' }), releases),
      el('p', {}, el('label', { for: leadsMode.id, text: 'New leads: ' }), leadsMode, ' at ', hour, ' UTC'),
      el('h4', { text: 'New announcement' }), compose,
      el('h4', { text: 'Announcements' }), history, status);
    api(`${base}/announcements/settings`).then(setting => { releases.value = setting.releases; }).catch(() => {});
    api(`${base}/notifications`).then(setting => { leadsMode.value = setting.leads; hour.value = setting.digestHour; }).catch(() => {});
    refresh().catch(error => { status.textContent = error.message; });
    return panel;
  }

  /** The account's notification address: where lead emails and announcement tests go, once verified. */
  function notificationAddressForm() {
    const input = el('input', { type: 'email', id: 'notification-address', 'data-testid': 'notification-address', placeholder: 'you@example.com' });
    const status = el('span', { class: 'hint', role: 'status', 'data-testid': 'notification-address-status' });
    const form = el('form', { class: 'actions' },
      el('label', { for: 'notification-address', class: 'muted', text: 'Lead notifications to' }), input,
      el('button', { type: 'submit', class: 'secondary', 'data-testid': 'notification-address-save', text: 'Save' }), status);
    api('/api/notifications/address').then(address => {
      input.value = address.email;
      status.textContent = address.verified ? 'Verified.' : 'Waiting: follow the link we emailed to it.';
    }).catch(() => {});
    form.addEventListener('submit', async event => {
      event.preventDefault();
      try {
        const address = await api('/api/notifications/address', { method: 'PUT', body: { email: input.value.trim() } });
        status.textContent = address.verified ? 'Verified.' : `Check ${address.email}: follow the link to verify it.`;
      } catch (error) { status.textContent = error.message; }
    });
    return form;
  }

  window.FourSite.emailPanel = emailPanel;
  window.FourSite.notificationAddressForm = notificationAddressForm;
})();
