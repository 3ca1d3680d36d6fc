// Paying referrers from the operator dashboard: a preview of the next payout (who is paid how much, who is skipped and
// why), running a batch (its name makes a repeat harmless), each referrer's outcome, and the history of transfers with
// its CSV for the books.
(() => {
  const { operatorApi: call, el } = window.FourSite;
  const $ = id => document.getElementById(id);
  const money = (cents, currency) => (cents / 100).toLocaleString('en', { style: 'currency', currency: currency.toUpperCase() });
  const status = text => { $('payout-status').textContent = text; };

  const lines = (target, payouts) => target.replaceChildren(...(payouts.length ? payouts.map(line => el('tr', {},
    el('td', { text: line.referrerId }), el('td', { text: line.referrerKind }), el('td', { text: money(line.amountCents, line.currency) }),
    el('td', {}, el('span', { class: `badge ${line.outcome === 'paid' || line.outcome === 'transfer' ? 'ok' : line.outcome === 'failed' ? 'critical' : 'warning'}`, text: line.outcome })),
    el('td', { text: line.detail || line.transferId || '' })))
    : [el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'Nobody is owed anything now.' }))]));

  async function preview() {
    const planned = await call('/api/commissions/payouts/preview');
    lines($('payout-lines'), planned.payouts);
    status(`Preview: ${planned.payouts.filter(line => line.outcome === 'transfer').length} to pay (minimum ${money(planned.minimumCents, 'usd')}).`);
  }

  async function history() {
    const transfers = await call('/api/commissions/payouts/transfers');
    $('payout-history').replaceChildren(...transfers.slice(0, 50).map(transfer => el('li', {},
      `${new Date(transfer.createdAt).toLocaleString()} · ${transfer.batchId} · ${money(transfer.amountCents, transfer.currency)} to ${transfer.accountId} · ${transfer.state}` +
      (transfer.error ? ` (${transfer.error})` : ''))));
  }

  $('payout-preview').addEventListener('click', () => preview().catch(error => status(error.message)));
  $('payout-run').addEventListener('click', async () => {
    const batchId = $('payout-batch').value.trim();
    if (!batchId) { status('Name the batch first.'); return; }
    $('payout-run').disabled = true;
    try {
      const batch = await call('/api/commissions/payouts', { method: 'POST', body: { batchId } });
      lines($('payout-lines'), batch.payouts);
      status(`Batch ${batch.batchId}: ${batch.payouts.filter(line => line.outcome === 'paid').length} paid, ${batch.payouts.filter(line => line.outcome === 'failed').length} refused, ${batch.payouts.filter(line => line.outcome === 'pending').length} waiting for Stripe.`);
      await history();
    } catch (error) { status(error.message); } finally { $('payout-run').disabled = false; }
  });
  $('payout-csv').addEventListener('click', async () => {
    try {
      const response = await fetch('/api/commissions/payouts/transfers?format=csv', { headers: { 'X-Api-Key': sessionStorage.getItem('foursite-operator-key') || '' } });
      if (!response.ok) throw new Error(`The download failed (${response.status}).`);
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { href: url, download: 'payout-transfers.csv', hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) { status(error.message); }
  });
  $('payout-batch').value = `payout-${new Date().toISOString().slice(0, 10)}`;
  document.addEventListener('foursite:ops-connected', () => history().catch(() => {}));
})();
