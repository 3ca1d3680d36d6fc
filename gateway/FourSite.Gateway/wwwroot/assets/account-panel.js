// The dashboard's account bar: who is signed in (or how to sign in), claiming the sites made in this browser, taking
// over a page someone else made about a repository the user maintains, and where lead notifications go.
(() => {
  const { api, el, notificationAddressForm } = window.FourSite;
  const $ = id => document.getElementById(id);

  function showAccount({ me, signIn, sites, reload }) {
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
        await reload();
      });
      account.replaceChildren(
        ...(me.avatarUrl ? [el('img', { src: me.avatarUrl, alt: '' })] : []),
        el('span', { 'data-testid': 'signed-in-as', text: `Signed in as @${me.login}` }), signOut, ...(claimAll ? [claimAll] : []), takeOverForm(reload),
        notificationAddressForm());
    } else if (signIn.available) {
      account.replaceChildren(el('a', { class: 'button', 'data-testid': 'sign-in', href: `/auth/github/login?returnUrl=${encodeURIComponent('/dashboard')}`, text: 'Sign in with GitHub' }),
        el('span', { class: 'muted', text: 'Keep your sites in your account and see your leads’ emails once you verify you maintain the repository.' }));
    } else {
      account.replaceChildren(el('span', { class: 'muted', 'data-testid': 'sign-in-off', text: 'Sign-in with GitHub is off on this deployment: your sites live in this browser.' }));
    }
  }

  // Someone else's page about a repository you maintain: verifying it makes it yours (unless its maintainers already did).
  const takeOverForm = reload => {
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
        await reload();
      } catch (error) { status.textContent = error.message; } finally { submit.disabled = false; }
    });
    return form;
  };

  window.FourSite.showAccount = showAccount;
})();
