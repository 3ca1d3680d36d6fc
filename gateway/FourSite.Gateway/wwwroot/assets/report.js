// The report form: /report?site={siteId}. Sends the reason, details and contact to the site's reports.
(() => {
  const { api } = window.FourSite;
  const $ = id => document.getElementById(id);
  const form = $('report-form');
  const siteId = new URLSearchParams(location.search).get('site') || '';
  const say = text => { $('report-status').textContent = text; };
  const page = document.referrer && new URL(document.referrer).origin === location.origin ? new URL(document.referrer).pathname : '';
  if (page) $('report-page').textContent = page;
  if (!/^[0-9a-f-]{36}$/i.test(siteId)) {
    say('Open this form from the page you want to report: its "Report this page" link names it.');
    form.querySelector('button[type=submit]').disabled = true;
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const reason = form.querySelector('input[name=reason]:checked')?.value;
    if (!reason) { say('Choose what is wrong with the page.'); return; }
    const contact = $('report-contact').value.trim();
    try {
      await api(`/api/sites/${encodeURIComponent(siteId)}/reports`, { method: 'POST', body: { reason, details: $('report-details').value.trim() || undefined, contact: contact || undefined } });
      form.replaceChildren(Object.assign(document.createElement('p'), { className: 'success', textContent: 'Thank you. The report reached FourSite\u2019s operators.' }));
      form.firstChild.setAttribute('data-testid', 'report-sent');
      form.firstChild.setAttribute('role', 'status');
    } catch (error) {
      say(error.status === 429 ? 'Too many reports from your network: please try again later.' : error.message);
    }
  });
})();
