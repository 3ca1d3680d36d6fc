// The maintainer's dashboard: the signed-in account's sites (from any browser) and the sites generated in this browser
// (owner tokens in local storage), each as a card (site-card.js), the account bar (account-panel.js), earnings
// (earnings-panel.js), the Pro upgrade (checkout-panel.js) and the showcase.
(() => {
  const { api, el, number, siteCard, showAccount, showEarnings, checkoutPanel } = window.FourSite;
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
        ...mine.map(site => ({ siteId: site.siteId, slug: site.slug, title: site.title, inAccount: true, verified: site.verified, suspension: site.suspension,
          ownerToken: stored.find(known => known.siteId === site.siteId)?.ownerToken })),
        ...local,
      ];
    }
    showAccount({ me, signIn, sites, reload: load });
    if (me) $('sites-intro').textContent = 'Your account’s sites, from any browser, and any generated in this browser before you signed in.';
    $('sites').replaceChildren(...sites.map(site => siteCard(site, { me, owner, name, forget, reload: load })));
    showSiteChoices();
    if (me) showEarnings();
  }

  load();
  checkoutPanel({ sites: () => sites, owner });

  api('/api/showcase').then(entries => {
    $('showcase').replaceChildren(...(entries.length ? entries.map(entry => el('article', { class: 'card' },
      el('h3', {}, el('a', { href: `/s/${encodeURIComponent(entry.slug || '')}`, text: entry.title || entry.slug || 'A FourSite site' })),
      el('p', { text: `Viral score ${number(entry.viralScore)}` }))) : [el('p', { class: 'muted', text: 'No featured sites yet — share yours!' })]));
  }).catch(() => { $('showcase').replaceChildren(el('p', { class: 'muted', text: 'The showcase is unavailable right now.' })); });
})();
