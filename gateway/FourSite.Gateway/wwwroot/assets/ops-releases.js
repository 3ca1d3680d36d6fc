// Releases on the operator dashboard: where each service's traffic goes, a switch or a rollback of every service to its
// other slot (each confirmed in place, with a reason, and recorded), and the history of releases and rollbacks.
(() => {
  const { operatorApi: call, el } = window.FourSite;
  const $ = id => document.getElementById(id);
  const status = text => { $('release-status').textContent = text; };
  const other = slot => (slot === 'blue' ? 'green' : 'blue');
  const when = value => new Date(value).toLocaleString();

  /** Moves the services' traffic to their other slot, then records it (announced to the channels). */
  async function move(services, kind, reason) {
    const moves = services.map(([name, view]) => ({ name, from: view.routing.active, to: other(view.routing.active) }));
    for (const each of moves) await call(`/admin/slots/${encodeURIComponent(each.name)}`, { method: 'POST', body: { slot: each.to } });
    const [first] = moves;
    await call('/api/operations/releases', {
      method: 'POST',
      body: { kind, outcome: kind === 'rollback' ? 'rolled_back' : 'switched', fromSlot: first.from, toSlot: first.to, reason: `${reason} (${moves.map(each => each.name).join(', ')})` },
    });
    status(`${moves.map(each => `${each.name} → ${each.to}`).join(', ')}.`);
    await load();
  }

  /** A button that asks, in place, for a reason and a second click before it acts. */
  function confirmed(label, testid, question, run, enabled) {
    const holder = el('span', {});
    const button = el('button', { type: 'button', class: 'secondary small', 'data-testid': testid, text: label, disabled: !enabled });
    button.addEventListener('click', () => {
      const reason = el('input', { 'aria-label': 'Reason', placeholder: 'Reason', maxlength: 500, 'data-testid': `${testid}-reason` });
      const yes = el('button', { type: 'button', class: 'small', 'data-testid': `${testid}-confirm`, text: 'Confirm' });
      const no = el('button', { type: 'button', class: 'secondary small', text: 'Cancel' });
      no.addEventListener('click', () => holder.replaceChildren(button));
      yes.addEventListener('click', async () => {
        if (!reason.value.trim()) { status('Give a reason first.'); reason.focus(); return; }
        yes.disabled = true;
        try { await run(reason.value.trim()); } catch (error) { status(error.message); yes.disabled = false; }
      });
      holder.replaceChildren(el('span', { text: `${question} ` }), reason, yes, no);
      reason.focus();
    });
    holder.append(button);
    return holder;
  }

  function serviceRow([name, view]) {
    const active = view.routing.active;
    const running = new Set(view.destinations.map(destination => destination.slot));
    const target = other(active);
    return el('tr', { 'data-service': name }, el('th', { scope: 'row', text: name }), el('td', { text: active }),
      el('td', { text: [...running].sort().join(', ') || 'none' }),
      el('td', {}, running.has(target)
        ? confirmed(`Switch to ${target}`, 'slot-switch', `Move all ${name} traffic to ${target}?`, reason => move([[name, view]], 'switch', reason), true)
        : el('span', { class: 'muted', text: `no ${target} slot running` })));
  }

  function releaseItem(release) {
    const images = release.toImage ? ` ${release.fromImage ?? '?'} → ${release.toImage}` : '';
    const slots = release.toSlot ? ` ${release.fromSlot ?? '?'} → ${release.toSlot}` : '';
    return el('li', { 'data-release-id': release.id },
      el('span', { class: `badge ${release.outcome === 'released' || release.outcome === 'switched' ? 'ok' : 'critical'}`, text: `${release.kind} ${release.outcome}` }),
      ` ${when(release.finishedAt)} by ${release.operator}:${slots}${images} · ${release.reason}`);
  }

  async function load() {
    try {
      const [slots, releases] = await Promise.all([call('/admin/slots'), call('/api/operations/releases?limit=20')]);
      const services = Object.entries(slots);
      const switchable = services.filter(([, view]) => view.destinations.some(destination => destination.slot === other(view.routing.active)));
      $('slots').replaceChildren(...services.map(serviceRow));
      $('rollback').replaceChildren(switchable.length
        ? confirmed('Roll back every service', 'slots-rollback', 'Send every service back to its other slot?', reason => move(switchable, 'rollback', reason), true)
        : el('span', { class: 'muted', text: 'No other slot is running to roll back to.' }));
      $('releases').replaceChildren(...(releases.length ? releases.map(releaseItem) : [el('li', { class: 'muted', text: 'No releases recorded yet.' })]));
    } catch (error) {
      status(`Could not load the slots: ${error.message}`);
    }
  }

  $('release-refresh').addEventListener('click', load);
  document.addEventListener('foursite:ops-connected', load);
})();
