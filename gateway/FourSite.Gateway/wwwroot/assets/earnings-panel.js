// A signed-in referrer's money on the dashboard: commissions by state, getting paid through Stripe (onboarding, its
// state, the Stripe Express dashboard), the next payout, each transfer with its entries, and a month's statement as CSV.
(() => {
  const { api, el, action, download } = window.FourSite;
  const $ = id => document.getElementById(id);
  const money = (cents, currency) => (cents / 100).toLocaleString('en', { style: 'currency', currency: currency.toUpperCase() });
  const words = text => text.replaceAll('_', ' ').replaceAll('.', ' ');

  const totalsOf = ({ entries, totals }) => totals.map(total => el('p', { 'data-testid': 'earnings-total',
    text: `${money(total.pendingCents, total.currency)} pending · ${money(total.payableCents, total.currency)} payable · ${money(total.paidCents, total.currency)} paid` +
      (total.reversedCents ? ` · ${money(total.reversedCents, total.currency)} reversed` : '') +
      (total.heldCents ? ` · ${money(total.heldCents, total.currency)} held for review (${[...new Set(entries.filter(entry => entry.state === 'held').map(entry => entry.holdReason))].join(', ').replaceAll('_', ' ')})` : '') }));

  /** Where the referrer stands with Stripe, and the one thing to do next. */
  function payoutState(account, status) {
    const getPaid = label => action(label, 'get-paid', async () => {
      const { url } = await api('/api/payouts/onboarding', { method: 'POST', body: {} });
      location.assign(url);
    }, status);
    const minimum = money(account.minimumCents, 'usd');
    const when = account.nextPayoutAt ? `The next payout is on ${new Date(account.nextPayoutAt).toLocaleDateString()}` : 'Payouts run when FourSite pays referrers';
    switch (account.state) {
      case 'enabled':
        return [el('p', { 'data-testid': 'payout-state', text: `Payouts enabled: what you are owed goes to your Stripe account. ${when}, for balances of at least ${minimum}.` }),
          action('Open my Stripe dashboard', 'stripe-dashboard', async () => {
            const { url } = await api('/api/payouts/login-link', { method: 'POST' });
            location.assign(url);
          }, status)];
      case 'none':
        return [el('p', { 'data-testid': 'payout-state', text: 'To be paid, set up payouts with Stripe: your identity, tax and bank details stay with Stripe.' }), getPaid('Get paid')];
      case 'disabled':
        return [el('p', { 'data-testid': 'payout-state', text: `Stripe has paused payouts to your account (${words(account.disabledReason)}).` }), getPaid('Continue with Stripe')];
      default:
        return [el('p', { 'data-testid': 'payout-state', text: account.requirementsDue.length
          ? `Stripe still needs: ${account.requirementsDue.map(words).join(', ')}.` : 'Stripe is checking your details; payouts start once it has.' }), getPaid('Continue with Stripe')];
    }
  }

  const transfersOf = transfers => transfers.length
    ? el('ul', { class: 'plain', 'data-testid': 'payout-transfers', 'aria-label': 'Payouts' }, ...transfers.map(transfer => el('li', {},
      `${new Date(transfer.createdAt).toLocaleDateString()}: ${money(transfer.amountCents, transfer.currency)} ` +
      `${transfer.state === 'paid' ? 'paid' : transfer.state === 'pending' ? 'on its way' : transfer.state.replaceAll('_', ' ')}` +
      `${transfer.reversedCents ? ` (${money(transfer.reversedCents, transfer.currency)} reversed)` : ''} · ${transfer.entries.length} commission${transfer.entries.length === 1 ? '' : 's'}`)))
    : el('p', { class: 'muted', 'data-testid': 'payout-transfers', text: 'No payouts yet.' });

  function statement(status) {
    const id = 'statement-month';
    const month = el('input', { id, type: 'month', value: new Date().toISOString().slice(0, 7), 'data-testid': 'statement-month' });
    return el('div', { class: 'actions' }, el('label', { for: id, text: 'Statement for' }), month,
      action('Download (CSV)', 'statement-download', async () => {
        status.textContent = `Downloaded ${await download(`/api/payouts/statement?month=${encodeURIComponent(month.value)}`, {}, 'statement.csv')}.`;
      }, status));
  }

  /** Shows the section for a signed-in referrer; back from Stripe's onboarding, the payout state is asked of Stripe. */
  const showEarnings = async () => {
    const back = new URLSearchParams(location.search).get('payouts') === 'return';
    const status = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    try {
      const [commissions, account, transfers] = await Promise.all([
        api('/api/commissions'), api(`/api/payouts/account${back ? '?refresh=true' : ''}`), api('/api/payouts/transfers')]);
      $('earnings-totals').replaceChildren(...totalsOf(commissions), ...payoutState(account, status), el('h3', { text: 'Payouts' }), transfersOf(transfers),
        statement(status), status);
      $('earnings').hidden = false;
    } catch { /* not signed in, or Viral unreachable: the section stays away */ }
  };

  window.FourSite.showEarnings = showEarnings;
})();
