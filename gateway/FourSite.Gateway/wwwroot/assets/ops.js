// The operator dashboard: business KPIs, golden signals against their thresholds, alerts, the generation queue and
// deployment health, refreshed every 10 seconds. Asks for the operator key and keeps it in this tab only.
(() => {
  const { api, el, sparkline, number, percent } = window.FourSite;
  const $ = id => document.getElementById(id);
  let key = sessionStorage.getItem('foursite-operator-key') || '';
  let timer = null;

  // Every operator call of the page (this file's and the panels') carries the key this tab holds.
  const call = (path, options = {}) => api(path, { ...options, headers: key ? { 'X-Api-Key': key } : {} });
  window.FourSite.operatorApi = call;
  const kpi = (label, value) => el('div', { class: 'kpi' }, el('small', { text: label }), el('b', { text: value }));
  const badge = status => el('span', { class: `badge ${status}`, text: status });
  const formatSignal = signal => signal.unit === 'ratio' ? percent(signal.value) : signal.value == null ? '–' : `${number(signal.value)} ${signal.unit}`;
  const limits = signal => signal.thresholds.map(threshold => `${threshold.severity} ${threshold.comparison} ${signal.unit === 'ratio' ? percent(threshold.limit) : number(threshold.limit)}`).join(', ');

  async function refresh() {
    try {
      const [realtime, golden, alerts, deployment, today, week, slos, users] = await Promise.all([
        call('/api/dashboard/realtime'), call('/api/dashboard/golden-signals'), call('/api/alerts'),
        call('/api/operations/deployment-health'), call('/api/dashboard/daily'), call('/api/dashboard/historical?period=7d'), call('/api/slo'),
        call('/api/dashboard/vitals?window=24h'),
      ]);
      const data = realtime.data;
      const shown = target => target.name === 'conversionRate' || target.name === 'premiumConversion' ? percent(target.value) : number(target.value);
      const goal = target => `${target.comparison === 'above' ? '>' : '≥'} ${target.name === 'conversionRate' || target.name === 'premiumConversion' ? percent(target.target) : number(target.target)}`;
      $('targets').replaceChildren(...today.kpis.map(target => el('div', { class: 'kpi', 'data-kpi': target.name },
        el('small', { text: target.label }), el('b', { text: shown(target) }),
        el('span', { class: `badge ${target.met ? 'ok' : 'warning'}`, text: target.met ? 'met' : 'short' }), el('small', { text: ` target ${goal(target)}` }))));
      $('kpis').replaceChildren(
        kpi('Active users (5 min)', number(data.activeUsers)), kpi('Signups', number(today.signups)), kpi('Generations', number(today.generations)),
        kpi('Lead captures', number(today.captures)), kpi('Avg lead score', number(today.avgLeadScore)), kpi('Viral coefficient', number(today.viralCoefficient)),
        kpi('Generation success', percent(today.generationSuccessRate)), kpi('Uptime', percent(today.uptime)));
      $('signals').replaceChildren(...golden.data.signals.map(signal =>
        el('div', { class: 'kpi', 'data-signal': signal.name }, el('small', { text: signal.name }), el('b', { text: formatSignal(signal) }),
          signal.violation ? badge(signal.violation.severity) : badge('ok'), signal.thresholds.length ? el('small', { text: ` ${limits(signal)}` }) : null)));
      $('endpoints').replaceChildren(...golden.data.endpoints.map(endpoint => {
        const value = name => endpoint.signals.find(signal => signal.name === name);
        return el('tr', {}, el('th', { scope: 'row', text: endpoint.endpoint }), el('td', { text: number(endpoint.requestsPerSecond) }),
          ...['latency.p50', 'latency.p95', 'latency.p99'].map(name => el('td', { text: value(name)?.value == null ? '–' : `${number(value(name).value)} ms` })),
          el('td', {}, percent(value('errors.rate')?.value), ' ', value('errors.rate')?.violation ? badge(value('errors.rate').violation.severity) : ''));
      }));
      // Each objective: its 30-day attainment, the share of its error budget left, and the hour's burn rate.
      $('slos').replaceChildren(...slos.map(slo => el('div', { class: 'kpi', 'data-slo': slo.name },
        el('small', { text: `${slo.name} (${percent(slo.objective)})` }), el('b', { text: slo.attainment == null ? '–' : percent(slo.attainment) }),
        el('span', { class: `badge ${slo.budgetRemaining > 0.25 ? 'ok' : slo.budgetRemaining > 0 ? 'warning' : 'critical'}`, text: `budget left ${percent(Math.max(slo.budgetRemaining, 0))}` }),
        el('small', { text: ` burn 1h ${slo.burnRates['1h'] == null ? '–' : `${number(slo.burnRates['1h'])}×`}` }))));
      $('real-users').replaceChildren(...users.vitals.map(vital => el('div', { class: 'kpi', 'data-vital': vital.name },
        el('small', { text: `${vital.label} (p75)` }), el('b', { text: vital.p75 == null ? '–' : `${number(vital.p75)}${vital.unit ? ` ${vital.unit}` : ''}` }),
        vital.met == null ? null : badge(vital.met ? 'ok' : 'warning'), el('small', { text: ` budget ${number(vital.budget)}${vital.unit ? ` ${vital.unit}` : ''} · ${number(vital.samples)} samples` }))));
      const queue = data.generationQueue;
      $('queue').replaceChildren(kpi('Waiting in RabbitMQ', number(queue.queueDepth)), kpi('Running', number(queue.running)),
        kpi('Completed (1 h)', number(queue.completedLastHour)), kpi('Failed (1 h)', number(queue.failedLastHour)),
        el('div', { class: 'kpi' }, el('small', { text: 'Generations per hour (24 h)' }), sparkline(data.hourlyKPIs.map(hour => hour.generations), 'Generations per hour over the last day')));
      $('alerts').replaceChildren(...(alerts.data.length
        ? alerts.data.map(alert => el('li', {}, badge(alert.severity), ` ${alert.rule}: ${alert.message} (since ${new Date(alert.raisedAt).toLocaleTimeString()})`
            + (alert.silencedUntil ? ` · silenced until ${new Date(alert.silencedUntil).toLocaleTimeString()}` : '')))
        : [el('li', { class: 'muted', text: 'No open alerts.' })]));
      $('deployment').replaceChildren(el('p', {}, 'Decision: ', badge(deployment.data.decision)),
        ...deployment.data.slots.map(slot => el('p', {}, `${slot.health.slot}: `, badge(slot.decision), ` ${slot.reasons.join('; ')}`)));
      const health = data.systemHealth;
      $('health').replaceChildren(...[['Database', health.database], ['Cache', health.cache], ['Broker', health.broker], ['AI provider', health.ai],
        ...Object.entries(health.services)].map(([name, part]) => el('div', { class: 'kpi' }, el('small', { text: name }), badge(part.status),
          part.latencyMs != null ? el('small', { text: ` ${number(part.latencyMs)} ms` }) : null)));
      const days = week.data.days;
      $('history').replaceChildren(...['generations', 'captures', 'signups'].map(metric =>
        el('div', { class: 'kpi' }, el('small', { text: `${metric} per day` }), sparkline(days.map(day => day[metric]), `${metric} per day over the last week`))));
      $('updated').textContent = new Date().toLocaleTimeString();
      const firstShown = $('board').hidden;
      $('board').hidden = false;
      $('key-status').textContent = 'Connected.';
      if (firstShown) document.dispatchEvent(new CustomEvent('foursite:ops-connected'));
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        sessionStorage.removeItem('foursite-operator-key');
        clearInterval(timer);
        $('board').hidden = true;
        $('key-status').textContent = 'That key was not accepted.';
      } else {
        $('key-status').textContent = `Could not refresh: ${error.message}`;
      }
    }
  }

  const start = () => {
    clearInterval(timer);
    refresh();
    timer = setInterval(refresh, 10000);
  };
  $('key-form').addEventListener('submit', event => {
    event.preventDefault();
    key = $('operator-key').value.trim();
    if (!key) { $('key-status').textContent = 'Enter the operator key.'; return; }
    sessionStorage.setItem('foursite-operator-key', key);
    start();
  });
  // A signed-in operator needs no key: the gateway calls on their behalf.
  if (key) start();
  else api('/api/me').then(me => {
    if (!me.operator) return;
    $('key-status').textContent = `Signed in as @${me.login}, an operator.`;
    $('key-form').hidden = true;
    start();
  }).catch(() => {});
})();
