// One site's card on the dashboard: its stats, visitors and latest leads, its analytics, claiming and verifying, its referral link, the leads
// export, its webhooks, its copy, its subscribers' email, its Pro plan (billing, custom domains) and removing it.
(() => {
  const { api, el, number, exportLeads, webhooksPanel, domainsPanel, emailPanel, contentPanel, analyticsPanel, visitorsSparkline } = window.FourSite;
  const $ = id => document.getElementById(id);

  /** An operator's suspension of <site>, and why: its page, sign-ups and custom domain are offline meanwhile. */
  const suspension = site => site.suspension
    ? el('p', { class: 'notice', role: 'note', 'data-testid': 'site-suspension' },
      el('span', { class: 'badge critical', text: site.suspension.kind === 'legal' ? 'Suspended (legal)' : 'Suspended' }),
      ` Since ${new Date(site.suspension.since).toLocaleDateString()}: ${site.suspension.reason}. Its page, sign-ups and custom domain are offline.`)
    : null;

  /** The card of <site>; <owner> gives the headers that act as its owner, <forget> drops it from the dashboard. */
  function siteCard(site, { me, owner, name, forget, reload }) {
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
        await reload();
      });
    }
    if (me && !site.verified) {
      button('Verify I maintain this repository', 'verify-site', async () => {
        const result = await api(`/api/sites/${encodeURIComponent(site.siteId)}/verify`, { method: 'POST' });
        status.textContent = result.takenOver ? 'Verified: the site is now yours.' : `Verified (${result.permission}).`;
        await reload();
      });
    }
    button('Get my referral link', 'referral-link', async () => {
      const code = await api(`/api/referrals?siteId=${encodeURIComponent(site.siteId)}`, { method: 'POST', headers: owner(site) });
      status.textContent = `${location.origin}${code.sharePath} — earn 20–40 % of every Pro upgrade it brings.` +
        (me ? '' : ' Sign in with GitHub and keep this site in your account to be paid what it earns.');
    });
    button('Download all leads (CSV)', 'export-leads', async () => {
      status.textContent = `Downloaded ${await exportLeads(site, owner(site), 'csv')}.`;
    });
    let analytics = null;
    const toggleAnalytics = button('Analytics', 'open-analytics', async () => {
      if (!analytics) node.insertBefore(analytics = analyticsPanel(site, owner(site)), status);
      else analytics.hidden = !analytics.hidden;
      toggleAnalytics.setAttribute('aria-expanded', String(!analytics.hidden));
    });
    toggleAnalytics.setAttribute('aria-expanded', 'false');
    let webhooks = null;
    const toggleWebhooks = button('Webhooks', 'manage-webhooks', async () => {
      // Built on first open, then shown and hidden.
      if (!webhooks) node.insertBefore(webhooks = webhooksPanel(site, owner(site)), status);
      else webhooks.hidden = !webhooks.hidden;
      toggleWebhooks.setAttribute('aria-expanded', String(!webhooks.hidden));
    });
    toggleWebhooks.setAttribute('aria-expanded', 'false');
    let copy = null;
    const toggleCopy = button('Edit the copy', 'edit-content', async () => {
      if (!copy) node.insertBefore(copy = contentPanel(site, owner(site)), status);
      else copy.hidden = !copy.hidden;
      toggleCopy.setAttribute('aria-expanded', String(!copy.hidden));
    });
    toggleCopy.setAttribute('aria-expanded', 'false');
    // Emailing a site's subscribers is for its verified maintainer only.
    if (me && site.verified) {
      let email = null;
      const toggleEmail = button('Email subscribers', 'manage-email', async () => {
        if (!email) node.insertBefore(email = emailPanel(site), status);
        else email.hidden = !email.hidden;
        toggleEmail.setAttribute('aria-expanded', String(!email.hidden));
      });
      toggleEmail.setAttribute('aria-expanded', 'false');
    }
    const node = el('article', { class: 'card', 'data-site-id': site.siteId },
      el('h3', {}, el('a', { href: `/s/${encodeURIComponent(site.slug)}`, text: name(site) })),
      badge, suspension(site), stats, visitorsSparkline(site, owner(site)), el('h4', { text: 'Latest leads' }), leads, actions, status);
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
  }

  window.FourSite.siteCard = siteCard;
})();
