// The maintainer's dashboard: the sites generated in this browser (owner tokens in local storage), their leads, shares
// and viral scores, referral links, removing a site, the showcase, and the Pro upgrade through Stripe Checkout.
(() => {
  const { api, el, number } = window.FourSite;
  const $ = id => document.getElementById(id);
  const sites = (() => {
    try { return JSON.parse(localStorage.getItem('foursite-sites') || '[]'); } catch { return []; }
  })();
  const owner = site => ({ Authorization: `Bearer ${site.ownerToken}` });
  const name = site => site.title || site.slug;
  const showSiteChoices = () => {
    $('no-sites').hidden = sites.length > 0;
    $('upgrade-site').replaceChildren(...(sites.length
      ? sites.map(site => el('option', { value: site.siteId, text: name(site) }))
      : [el('option', { value: '', text: 'No site yet' })]));
  };
  const forget = site => {
    const index = sites.indexOf(site);
    if (index < 0) return; // splice(-1) would drop another site's token
    sites.splice(index, 1);
    localStorage.setItem('foursite-sites', JSON.stringify(sites));
    showSiteChoices();
  };

  const params = new URLSearchParams(location.search);
  if (params.get('checkout')) {
    const notice = $('checkout-notice');
    notice.textContent = params.get('checkout') === 'success' ? 'Thank you — your site is now Pro.' : 'Checkout was cancelled; nothing was charged.';
    notice.hidden = false;
  }

  const card = site => {
    const stats = el('p', { class: 'muted', text: 'Loading…' });
    const leads = el('ul', { 'aria-label': `Latest leads of ${site.title}` });
    const referral = el('p', { class: 'hint' });
    const referralButton = el('button', { type: 'button', class: 'secondary', text: 'Get my referral link' });
    referralButton.addEventListener('click', async () => {
      try {
        const code = await api('/api/referrals', { method: 'POST', headers: owner(site) });
        referral.textContent = `${location.origin}${code.sharePath} — earn 20–40 % of every Pro upgrade it brings.`;
      } catch (error) { referral.textContent = error.message; }
    });
    const removeButton = el('button', { type: 'button', class: 'secondary', 'data-testid': 'remove-site', text: 'Remove this site' });
    const removal = el('p', { class: 'hint', role: 'status' });
    const node = el('article', { class: 'card', 'data-site-id': site.siteId },
      el('h3', {}, el('a', { href: `/s/${encodeURIComponent(site.slug)}`, text: name(site) })),
      stats, el('h4', { text: 'Latest leads' }), leads, referralButton, referral, removeButton, removal);
    removeButton.addEventListener('click', async () => {
      if (!confirm(`Remove ${name(site)}? Its page, leads, shares and score go for good.`)) return;
      removeButton.disabled = true;
      try {
        await api(`/api/sites/${encodeURIComponent(site.siteId)}`, { method: 'DELETE', headers: owner(site) });
      } catch (error) {
        // Already gone elsewhere: forget it here too.
        if (error.status !== 404) { removal.textContent = error.message; removeButton.disabled = false; return; }
      }
      forget(site);
      node.remove();
    });

    api(`/api/viral/sites/${encodeURIComponent(site.siteId)}`).then(viral => {
      stats.textContent = `Viral score ${number(viral.viralScore)} · ${viral.shares} shares · ${viral.visitsFromShares} visits and ${viral.leadsFromShares} leads from shares${viral.featured ? ' · featured' : ''}`;
    }).catch(() => { stats.textContent = 'No shares yet.'; });
    api(`/api/leads?siteId=${encodeURIComponent(site.siteId)}`, { headers: owner(site) }).then(list => {
      leads.replaceChildren(...(list.length ? list.slice(0, 5).map(lead => el('li', { text: `${lead.email} — score ${lead.leadScore}` })) : [el('li', { class: 'muted', text: 'No leads yet.' })]));
    }).catch(error => { leads.replaceChildren(el('li', { class: 'muted', text: error.message })); });
    return node;
  };

  $('sites').replaceChildren(...sites.map(card));
  showSiteChoices();

  // The checkout joins the page only once Stripe has opened a session: its link, and Stripe's page framed below it.
  const showCheckout = url => {
    $('checkout').replaceChildren(
      el('p', {}, el('a', { class: 'button', 'data-testid': 'stripe-checkout', href: url, rel: 'noopener', target: '_top', text: 'Continue to secure checkout' })),
      el('iframe', { class: 'checkout-frame', src: url, title: 'Stripe Checkout', referrerpolicy: 'no-referrer' }),
      el('p', { class: 'hint', text: 'If the checkout does not show here, the button above opens it on Stripe.' }));
  };

  // A site generated a moment ago reaches billing a moment later (an event between services): wait for it briefly.
  const untilKnown = async call => {
    for (let attempt = 1; ; attempt++) {
      try { return await call(); } catch (error) {
        if (error.code !== 'site_not_found' || attempt >= 10) throw error;
        await new Promise(done => setTimeout(done, 500));
      }
    }
  };

  $('upgrade').addEventListener('click', async () => {
    const status = $('upgrade-status');
    const site = sites.find(known => known.siteId === $('upgrade-site').value);
    $('checkout').replaceChildren();
    if (!site) {
      status.textContent = 'Generate a site first: Pro upgrades a site you own.';
      return;
    }
    status.textContent = 'Preparing a secure checkout…';
    try {
      const referralCode = localStorage.getItem('foursite-referral') || undefined;
      const request = { method: 'POST', headers: owner(site), body: { siteId: site.siteId, plan: $('upgrade-plan').value, referralCode } };
      const session = await untilKnown(() => api('/api/billing/checkout', request));
      showCheckout(session.checkoutUrl);
      status.textContent = 'Your checkout is ready.';
    } catch (error) {
      status.textContent = error.code === 'billing_not_configured'
        ? 'Pro upgrades are not available on this deployment yet (billing is not configured).'
        : error.message;
    }
  });

  // A visitor who came through a referral link keeps its code for their own upgrade.
  const ref = params.get('ref');
  if (ref && /^[A-Za-z0-9_-]{4,32}$/.test(ref)) localStorage.setItem('foursite-referral', ref);

  api('/api/showcase').then(entries => {
    $('showcase').replaceChildren(...(entries.length ? entries.map(entry => el('article', { class: 'card' },
      el('h3', {}, el('a', { href: `/s/${encodeURIComponent(entry.slug || '')}`, text: entry.title || entry.slug || 'A FourSite site' })),
      el('p', { text: `Viral score ${number(entry.viralScore)}` }))) : [el('p', { class: 'muted', text: 'No featured sites yet — share yours!' })]));
  }).catch(() => { $('showcase').replaceChildren(el('p', { class: 'muted', text: 'The showcase is unavailable right now.' })); });
})();
