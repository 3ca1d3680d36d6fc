// A site owner's analytics on the dashboard: visitors over the last week as a sparkline on the site's card, and, when
// opened, the period's visitors and page views per day, where they came from, devices, the funnel from visit to
// confirmed subscriber, shares per channel with the visits each brought, real-user vitals, and a CSV of the days.
// Counted without cookies: a visitor is one a day.
(() => {
  const { api, el, sparkline, number, percent, download } = window.FourSite;
  const PERIODS = [['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['90d', 'Last 90 days']];

  const path = (site, period, format) =>
    `/api/sites/${encodeURIComponent(site.siteId)}/analytics?period=${period}${format ? `&format=${format}` : ''}`;

  /** A table of rows (arrays of cells) under a caption; a muted line when there is nothing to show. */
  const table = (caption, headings, rows, testid) => rows.length
    ? el('table', { 'data-testid': testid },
      el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, ...headings.map(heading => el('th', { scope: 'col', text: heading })))),
      el('tbody', {}, ...rows.map(cells => el('tr', {}, ...cells.map(cell => el('td', { text: cell }))))))
    : el('p', { class: 'muted', 'data-testid': testid, text: `${caption}: nothing yet.` });

  const counts = list => list.map(item => [item.name, number(item.visitors), number(item.pageViews)]);
  const vital = (value, unit, samples) => (value == null ? '–' : `${number(value)}${unit} (${number(samples)} samples)`);

  /** The week's visitors of <site> as a sparkline, for its card. */
  function visitorsSparkline(site, headers) {
    // Room kept for the line and its sparkline while they load, so the buttons below do not move under a pointer.
    const holder = el('p', { class: 'muted visitors', 'data-testid': 'site-visitors' });
    api(path(site, '7d'), { headers }).then(report => {
      const visitors = report.days.map(day => day.visitors);
      holder.replaceChildren(`${number(report.totals.visitors)} visitors · ${number(report.totals.pageViews)} page views this week`,
        sparkline(visitors, `Visitors per day over the last 7 days: ${visitors.join(', ')}`));
    }).catch(() => holder.remove());
    return holder;
  }

  /** The analytics section of one site's card, built when the owner opens it. */
  function analyticsPanel(site, headers) {
    const id = `analytics-period-${site.siteId}`;
    const period = el('select', { id, 'data-testid': 'analytics-period' }, ...PERIODS.map(([value, label]) => el('option', { value, text: label })));
    period.value = '30d';
    const body = el('div', { 'aria-live': 'polite' }, el('p', { class: 'muted', text: 'Loading…' }));
    const status = el('p', { class: 'hint', role: 'status' });
    const csv = el('button', { type: 'button', class: 'secondary small', 'data-testid': 'analytics-csv', text: 'Download the days (CSV)' });
    csv.addEventListener('click', async () => {
      try { status.textContent = `Downloaded ${await download(path(site, period.value, 'csv'), headers, 'analytics.csv')}.`; } catch (error) { status.textContent = error.message; }
    });

    const show = report => {
      const { totals, funnel, vitals } = report;
      const days = report.days.slice().reverse();
      body.replaceChildren(
        el('div', { class: 'kpis', 'data-testid': 'analytics-totals' },
          ...[['Visitors', totals.visitors], ['Page views', totals.pageViews], ['Emails left', totals.captures], ['Confirmed subscribers', totals.confirmed], ['Shares', totals.shares]]
            .map(([label, value]) => el('div', { class: 'kpi' }, el('b', { text: number(value) }), el('small', { text: label })))),
        sparkline(report.days.map(day => day.visitors), `Visitors per day from ${report.from} to ${report.to}`),
        el('p', { 'data-testid': 'analytics-funnel', text: `Funnel: ${number(funnel.visitors)} visitors → ${number(funnel.captures)} emails (${percent(funnel.captureRate)}) → ${number(funnel.confirmed)} confirmed (${percent(funnel.confirmationRate)})` }),
        table('Top sources', ['Source', 'Visitors', 'Page views'], counts(report.sources.referrers), 'analytics-sources'),
        table('Shares by channel', ['Channel', 'Shares', 'Visits they brought'],
          report.shares.map(channel => [channel.channel, number(channel.shares), number(channel.visits)]), 'analytics-shares'),
        table('Campaigns (utm_source)', ['Source', 'Visitors', 'Page views'], counts(report.sources.utmSources), 'analytics-utm-sources'),
        table('Campaigns (utm_campaign)', ['Campaign', 'Visitors', 'Page views'], counts(report.sources.utmCampaigns), 'analytics-utm-campaigns'),
        table('Devices', ['Device', 'Visitors', 'Page views'], counts(report.devices), 'analytics-devices'),
        el('p', { 'data-testid': 'analytics-vitals', text: `Real users, 75th percentile: LCP ${vital(vitals.lcpP75, ' ms', vitals.lcpSamples)} · INP ${vital(vitals.inpP75, ' ms', vitals.inpSamples)} · CLS ${vital(vitals.clsP75, '', vitals.clsSamples)}` }),
        table('Per day', ['Day', 'Visitors', 'Page views', 'Emails', 'Confirmed', 'Shares'],
          days.map(day => [day.date, number(day.visitors), number(day.pageViews), number(day.captures), number(day.confirmed), number(day.shares)]), 'analytics-days'));
    };
    const load = () => api(path(site, period.value), { headers }).then(show).catch(error => { status.textContent = error.message; });
    period.addEventListener('change', load);

    const panel = el('section', { class: 'analytics-panel', 'aria-label': 'Analytics of the site', 'data-testid': 'analytics-panel' },
      el('h4', { text: 'Analytics' }),
      el('p', { class: 'muted', text: 'Counted without cookies: a visitor is one a day. Updated every minute.' }),
      el('div', { class: 'actions' }, el('label', { for: id, text: 'Period' }), period, csv), body, status);
    load();
    return panel;
  }

  window.FourSite.analyticsPanel = analyticsPanel;
  window.FourSite.visitorsSparkline = visitorsSparkline;
})();
