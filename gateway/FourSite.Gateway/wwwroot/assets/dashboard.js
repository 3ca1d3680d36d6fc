// The maintainer's dashboard: the signed-in account's sites (from any browser) and the sites generated in this browser
// (owner tokens in local storage), their leads, shares and viral scores, claiming and verifying, referral links,
// removing a site, exporting its leads and its webhooks, the showcase, and the Pro upgrade through Stripe Checkout.
(() => {
  const { api, el, number, exportLeads, webhooksPanel, domainsPanel } = window.FourSite;
  const $ = id => document.getElementById(id);
  const stored = (() => {
    try { return JSON.parse(localStorage.getItem('foursite-sites') || '[]'); } catch { return []; }
  })();
  // Every site shown: { siteId, slug, title, ownerToken?, inAccount, verified }.
  let sites = stored.map(site => ({ ...site, inAccount: false, verified: false }));
  let me = null;
  // A site in the account is acted on with the session; one known only here, with its owner token.
  const owner = site => (site.inAccount || !site.ownerToken ? {} : { Authorization: `Bearer ${site.ownerToken}` });
  const name = site => site.title || site.slug;
  const saveStored = () => {
    const kept = sites.filter(site => site.ownerToken).map(({ siteId, slug, title, ownerId, ownerToken, createdAt }) => ({ siteId, slug, title, ownerId, ownerToken, createdAt }));
    try { localStorage.setItem('foursite-sites', JSON.stringify(kept)); } catch { /* private mode */ }
  };
  const showSiteChoices = () => {
    $('no-sites').hidden = sites.length > 0;
    $('upgrade-site').replaceChildren(...(sites.length
      ? sites.map(site => el('option', { value: site.siteId, text: name(site) }))
      : [el('option', { value: '', text: 'No site yet' })]));
  };
  const forget = site => {
    sites = sites.filter(known => known !== site);
    saveStored();
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
    const leads = el('ul', { 'aria-label': `Latest leads of ${name(site)}` });
    const status = el('p', { class: 'hint', role: 'status' });
    const actions = el('div', { class: 'actions' });
    const badge = el('span', { class: site.verified ? 'badge verified' : 'badge', 'data-testid': 'site-badge',
      text: site.verified ? '✓ Verified maintainer' : site.inAccount ? 'In your account · not verified' : 'Only in this browser' });
    const button = (text, testid, onClick) => {
      const node = el('button', { type: 'button', class: 'secondary', 'data-testid': testid, text });
      node.addEventListener('click', async () => {
        node.disabled = true;
        try { await onClick(); } catch (error) { status.textContent = error.message; } finally { node.disabled = false; }
      });
      actions.append(node);
      return node;
    };

    if (me && !site.inAccount && site.ownerToken) {
      button('Claim into my account', 'claim-site', async () => {
        await api(`/api/sites/${encodeURIComponent(site.siteId)}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${site.ownerToken}` } });
        await load();
      });
    }
    if (me && !site.verified) {
      button('Verify I maintain this repository', 'verify-site', async () => {
        const result = await api(`/api/sites/${encodeURIComponent(site.siteId)}/verify`, { method: 'POST' });
        status.textContent = result.takenOver ? 'Verified: the site is now yours.' : `Verified (${result.permission}).`;
        await load();
      });
    }
    button('Get my referral link', 'referral-link', async () => {
      const code = await api(`/api/referrals?siteId=${encodeURIComponent(site.siteId)}`, { method: 'POST', headers: owner(site) });
      status.textContent = `${location.origin}${code.sharePath} — earn 20–40 % of every Pro upgrade it brings.`;
    });
    button('Download all leads (CSV)', 'export-leads', async () => {
      status.textContent = `Downloaded ${await exportLeads(site, owner(site), 'csv')}.`;
    });
    let webhooks = null;
    const toggleWebhooks = button('Webhooks', 'manage-webhooks', async () => {
      // Built on first open, then shown and hidden.
      if (!webhooks) node.insertBefore(webhooks = webhooksPanel(site, owner(site)), status);
      else webhooks.hidden = !webhooks.hidden;
      toggleWebhooks.setAttribute('aria-expanded', String(!webhooks.hidden));
    });
    toggleWebhooks.setAttribute('aria-expanded', 'false');
    const node = el('article', { class: 'card', 'data-site-id': site.siteId },
      el('h3', {}, el('a', { href: `/s/${encodeURIComponent(site.slug)}`, text: name(site) })),
      badge, stats, el('h4', { text: 'Latest leads' }), leads, actions, status);
    button('Remove this site', 'remove-site', async () => {
      if (!confirm(`Remove ${name(site)}? Its page, leads, shares and score go for good.`)) return;
      try {
        await api(`/api/sites/${encodeURIComponent(site.siteId)}`, { method: 'DELETE', headers: owner(site) });
      } catch (error) {
        // Already gone elsewhere: forget it here too.
        if (error.status !== 404) throw error;
      }
      forget(site);
      node.remove();
    });

    // The site's subscription, shown to its owner: renewing, ending, or in its grace period after a failed payment.
    api(`/api/sites/${encodeURIComponent(site.siteId)}`, { headers: owner(site) }).then(details => {
      const pro = details.pro;
      if (!pro || (!pro.active && !pro.plan)) return;
      const date = value => new Date(value).toLocaleDateString();
      const text = !pro.active ? 'Pro has ended: the FourSite badge is back.'
        : pro.graceUntil ? `Pro · the last payment failed: Pro continues until ${date(pro.graceUntil)} while Stripe retries your card.`
        : pro.cancelAt ? `Pro · ends ${date(pro.cancelAt)}.`
        : `Pro (${pro.plan === 'pro-annual' ? 'yearly' : 'monthly'}) · renews ${date(pro.renewsAt)}.`;
      badge.after(el('p', { class: pro.graceUntil ? 'notice' : 'muted', 'data-testid': 'pro-status', text }));
      if (pro.active) {
        let domains = null;
        const toggle = button('Custom domains', 'manage-domains', async () => {
          if (!domains) node.insertBefore(domains = domainsPanel(site, owner(site)), status);
          else domains.hidden = !domains.hidden;
          toggle.setAttribute('aria-expanded', String(!domains.hidden));
        });
        toggle.setAttribute('aria-expanded', 'false');
      }
      button('Manage billing', 'manage-billing', async () => {
        const portal = await api('/api/billing/portal', { method: 'POST', headers: owner(site), body: { siteId: site.siteId } });
        location.assign(portal.url);
      });
    }).catch(() => {});
    api(`/api/viral/sites/${encodeURIComponent(site.siteId)}`).then(viral => {
      stats.textContent = `Viral score ${number(viral.viralScore)} · ${viral.shares} shares · ${viral.visitsFromShares} visits and ${viral.leadsFromShares} leads from shares${viral.featured ? ' · featured' : ''}`;
    }).catch(() => { stats.textContent = 'No shares yet.'; });
    api(`/api/leads?siteId=${encodeURIComponent(site.siteId)}`, { headers: owner(site) }).then(list => {
      leads.replaceChildren(...(list.length ? list.slice(0, 5).map(lead => el('li', { text: `${lead.email} — score ${lead.leadScore}` })) : [el('li', { class: 'muted', text: 'No leads yet.' })]));
      if (list.length && !site.verified) leads.append(el('li', { class: 'hint', text: 'Emails show once you verify you maintain the repository.' }));
    }).catch(error => {
      // A token kept here that no longer owns its site: the repository's maintainers took the site over.
      if (error.status === 403 && !site.inAccount) {
        forget(site);
        node.remove();
        $('account').after(el('p', { class: 'notice', role: 'status', text: `${name(site)} was taken over by the maintainers of its repository; it is no longer yours.` }));
        return;
      }
      leads.replaceChildren(el('li', { class: 'muted', text: error.message }));
    });
    return node;
  };

  const showAccount = signIn => {
    const account = $('account');
    if (me) {
      const signOut = el('button', { type: 'button', class: 'secondary', 'data-testid': 'sign-out', text: 'Sign out' });
      signOut.addEventListener('click', async () => {
        await api('/auth/logout', { method: 'POST' }).catch(() => {});
        location.reload();
      });
      const unclaimed = sites.filter(site => !site.inAccount && site.ownerToken);
      const claimAll = unclaimed.length ? el('button', { type: 'button', 'data-testid': 'claim-all', text: `Claim the ${unclaimed.length} site(s) made in this browser` }) : null;
      claimAll?.addEventListener('click', async () => {
        claimAll.disabled = true;
        for (const site of unclaimed) {
          await api(`/api/sites/${encodeURIComponent(site.siteId)}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${site.ownerToken}` } }).catch(() => {});
        }
        await load();
      });
      account.replaceChildren(
        ...(me.avatarUrl ? [el('img', { src: me.avatarUrl, alt: '' })] : []),
        el('span', { 'data-testid': 'signed-in-as', text: `Signed in as @${me.login}` }), signOut, ...(claimAll ? [claimAll] : []), takeOverForm());
    } else if (signIn.available) {
      account.replaceChildren(el('a', { class: 'button', 'data-testid': 'sign-in', href: `/auth/github/login?returnUrl=${encodeURIComponent('/dashboard')}`, text: 'Sign in with GitHub' }),
        el('span', { class: 'muted', text: 'Keep your sites in your account and see your leads’ emails once you verify you maintain the repository.' }));
    } else {
      account.replaceChildren(el('span', { class: 'muted', 'data-testid': 'sign-in-off', text: 'Sign-in with GitHub is off on this deployment: your sites live in this browser.' }));
    }
  };

  // Someone else's page about a repository you maintain: verifying it makes it yours (unless its maintainers already did).
  const takeOverForm = () => {
    const input = el('input', { type: 'url', id: 'take-over-url', 'data-testid': 'take-over-url', placeholder: `${location.origin}/s/…`, 'aria-label': 'Address of a page about your repository' });
    const submit = el('button', { type: 'submit', class: 'secondary', 'data-testid': 'take-over', text: 'Verify and take it over' });
    const status = el('span', { class: 'hint', role: 'status' });
    const form = el('form', { class: 'actions' }, el('label', { for: 'take-over-url', class: 'muted', text: 'A page about your repository made by someone else?' }), input, submit, status);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const slug = (input.value.trim().match(/\/s\/([a-z0-9-]{1,64})/) || [])[1];
      if (!slug) { status.textContent = 'Paste the page’s address, like …/s/my-project-1a2b3c4d.'; return; }
      submit.disabled = true;
      try {
        const site = await api(`/api/sites/${encodeURIComponent(slug)}`);
        const result = await api(`/api/sites/${encodeURIComponent(site.siteId)}/verify`, { method: 'POST' });
        status.textContent = result.takenOver ? 'It is yours now.' : 'Verified.';
        await load();
      } catch (error) { status.textContent = error.message; } finally { submit.disabled = false; }
    });
    return form;
  };

  async function load() {
    let signIn = { available: true };
    try {
      me = await api('/api/me');
    } catch (error) {
      me = null;
      signIn = { available: error.data?.signInAvailable !== false };
    }
    if (me) {
      const mine = await api('/api/sites').catch(() => []);
      const inAccount = new Set(mine.map(site => site.siteId));
      const local = stored.filter(site => !inAccount.has(site.siteId)).map(site => ({ ...site, inAccount: false, verified: false }));
      sites = [
        ...mine.map(site => ({ siteId: site.siteId, slug: site.slug, title: site.title, inAccount: true, verified: site.verified,
          ownerToken: stored.find(known => known.siteId === site.siteId)?.ownerToken })),
        ...local,
      ];
    }
    showAccount(signIn);
    if (me) $('sites-intro').textContent = 'Your account’s sites, from any browser, and any generated in this browser before you signed in.';
    $('sites').replaceChildren(...sites.map(card));
    showSiteChoices();
    if (me) showEarnings();
  }

  // A signed-in referrer's commissions, per currency and state.
  const showEarnings = () => api('/api/commissions').then(({ entries, totals }) => {
    if (!entries.length) return;
    const money = (cents, currency) => (cents / 100).toLocaleString('en', { style: 'currency', currency: currency.toUpperCase() });
    $('earnings-totals').replaceChildren(...totals.map(total => el('p', { 'data-testid': 'earnings-total',
      text: `${money(total.pendingCents, total.currency)} pending · ${money(total.payableCents, total.currency)} payable · ${money(total.paidCents, total.currency)} paid` +
        (total.reversedCents ? ` · ${money(total.reversedCents, total.currency)} reversed by refunds` : '') })));
    $('earnings').hidden = false;
  }).catch(() => {});
  load();

  // The checkout joins the page only once Stripe has opened a session: its link, and Stripe's page framed below it.
  const showCheckout = url => {
    $('checkout').replaceChildren(
      el('p', {}, el('a', { class: 'button', 'data-testid': 'stripe-checkout', href: url, rel: 'noopener', target: '_top', text: 'Continue to secure checkout' })),
      el('iframe', { class: 'checkout-frame', src: url, title: 'Stripe Checkout', referrerpolicy: 'no-referrer' }),
      el('p', { class: 'hint', text: 'If the checkout does not show here, the button above opens it on Stripe.' }));
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
      const session = await api('/api/billing/checkout', request);
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
