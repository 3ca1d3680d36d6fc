// A signed-in referrer's commissions on the dashboard.
(() => {
  const { api, el } = window.FourSite;
  const $ = id => document.getElementById(id);

  // A signed-in referrer's commissions, per currency and state.
  const showEarnings = () => api('/api/commissions').then(({ entries, totals }) => {
    if (!entries.length) return;
    const money = (cents, currency) => (cents / 100).toLocaleString('en', { style: 'currency', currency: currency.toUpperCase() });
    $('earnings-totals').replaceChildren(...totals.map(total => el('p', { 'data-testid': 'earnings-total',
      text: `${money(total.pendingCents, total.currency)} pending · ${money(total.payableCents, total.currency)} payable · ${money(total.paidCents, total.currency)} paid` +
        (total.reversedCents ? ` · ${money(total.reversedCents, total.currency)} reversed` : '') +
        (total.heldCents ? ` · ${money(total.heldCents, total.currency)} held for review (${[...new Set(entries.filter(entry => entry.state === 'held').map(entry => entry.holdReason))].join(', ').replaceAll('_', ' ')})` : '') })));
    $('earnings').hidden = false;
  }).catch(() => {});

  window.FourSite.showEarnings = showEarnings;
})();
