// The Pro upgrade on the dashboard: Stripe Checkout for a chosen site, the answer on return, and a referral code kept
// for the visitor's own upgrade.
(() => {
  const { api, el } = window.FourSite;
  const $ = id => document.getElementById(id);

  // The checkout joins the page only once Stripe has opened a session: its link, and Stripe's page framed below it.
  const showCheckout = url => {
    $('checkout').replaceChildren(
      el('p', {}, el('a', { class: 'button', 'data-testid': 'stripe-checkout', href: url, rel: 'noopener', target: '_top', text: 'Continue to secure checkout' })),
      el('iframe', { class: 'checkout-frame', src: url, title: 'Stripe Checkout', referrerpolicy: 'no-referrer' }),
      el('p', { class: 'hint', text: 'If the checkout does not show here, the button above opens it on Stripe.' }));
  };

  /** Wires the upgrade form: <sites> gives the dashboard's sites now, <owner> the headers that act as a site's owner. */
  function checkoutPanel({ sites, owner }) {
    $('upgrade').addEventListener('click', async () => {
      const status = $('upgrade-status');
      const site = sites().find(known => known.siteId === $('upgrade-site').value);
      $('checkout').replaceChildren();
      if (!site) {
        status.textContent = 'Generate a site first: Pro upgrades a site you own.';
        return;
      }
      status.textContent = 'Preparing a secure checkout…';
      try {
        const referralCode = localStorage.getItem('foursite-referral') || undefined;
        const request = { method: 'POST', headers: owner(site), body: { siteId: site.siteId, plan: $('upgrade-plan').value, referralCode } };
        const session = await api('/api/billing/checkout', request);
        showCheckout(session.checkoutUrl);
        status.textContent = 'Your checkout is ready.';
      } catch (error) {
        status.textContent = error.code === 'billing_not_configured'
          ? 'Pro upgrades are not available on this deployment yet (billing is not configured).'
          : error.message;
      }
    });
  }

  // Back from Stripe: how the checkout ended.
  const params = new URLSearchParams(location.search);
  if (params.get('checkout')) {
    const notice = $('checkout-notice');
    notice.textContent = params.get('checkout') === 'success' ? 'Thank you — your site is now Pro.' : 'Checkout was cancelled; nothing was charged.';
    notice.hidden = false;
  }

  // A visitor who came through a referral link keeps its code for their own upgrade.
  const ref = params.get('ref');
  if (ref && /^[A-Za-z0-9_-]{4,32}$/.test(ref)) localStorage.setItem('foursite-referral', ref);

  window.FourSite.checkoutPanel = checkoutPanel;
})();
