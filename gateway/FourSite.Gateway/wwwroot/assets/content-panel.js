// A site owner's editor of its copy, on the dashboard: title, tagline, description, features and the main button,
// with a live preview of the hero; which fields are the owner's (they survive a regeneration) and which follow the
// README; handing a field back to the writer; and the history of edits with a restore.
(() => {
  const { api, el, action } = window.FourSite;
  const FIELDS = [['title', 'Title'], ['tagline', 'Tagline'], ['description', 'Description'], ['features', 'Features'], ['callToAction', 'Main button']];

  /** The copy section of one site's card, built when the owner opens it. */
  function contentPanel(site, headers) {
    const base = `/api/sites/${encodeURIComponent(site.siteId)}/content`;
    const status = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    const id = name => `content-${name}-${site.siteId}`;
    const input = (name, label, attributes = {}, tag = 'input') => {
      const field = el(tag, { id: id(name), name, 'data-testid': `content-${name}`, ...attributes });
      return [el('label', { for: id(name), text: label }), field];
    };
    const [titleLabel, title] = input('title', 'Title', { maxlength: 80, required: true });
    const [taglineLabel, tagline] = input('tagline', 'Tagline', { maxlength: 160, required: true });
    const [descriptionLabel, description] = input('description', 'Description', { maxlength: 800, rows: 3 }, 'textarea');
    const [featuresLabel, features] = input('features', 'Features (one a line, at most 8)', { rows: 5 }, 'textarea');
    const [ctaLabelLabel, ctaLabel] = input('cta-label', 'Main button label', { maxlength: 40 });
    const [ctaUrlLabel, ctaUrl] = input('cta-url', 'Main button address', { type: 'url', placeholder: 'https://' });
    const preview = el('div', { class: 'content-preview', 'aria-label': 'Preview of the hero', 'data-testid': 'content-preview' });
    const owned = el('p', { class: 'muted', 'data-testid': 'content-owned' });
    const history = el('ul', { class: 'plain', 'aria-label': 'Edits of the copy', 'data-testid': 'content-history' });
    let written = null;

    const lines = () => features.value.split('\n').map(line => line.trim()).filter(Boolean);
    const render = () => preview.replaceChildren(
      el('strong', { text: title.value || written?.title || '' }),
      el('p', { text: tagline.value || written?.tagline || '' }),
      el('ul', {}, ...lines().slice(0, 8).map(line => el('li', { text: line }))),
      ctaLabel.value ? el('span', { class: 'button primary', text: ctaLabel.value }) : null);
    [title, tagline, description, features, ctaLabel, ctaUrl].forEach(field => field.addEventListener('input', render));

    const show = content => {
      written = content.written;
      const shown = { ...content.written, ...Object.fromEntries(Object.entries(content.overrides).filter(([, value]) => value != null)) };
      title.value = shown.title || '';
      tagline.value = shown.tagline || '';
      description.value = shown.description || '';
      features.value = (shown.features || []).join('\n');
      ctaLabel.value = shown.callToAction?.label || '';
      ctaUrl.value = shown.callToAction?.url || '';
      owned.replaceChildren(content.edited.length
        ? `Yours (kept when the site is regenerated): ${content.edited.map(name => FIELDS.find(([field]) => field === name)[1]).join(', ')}. The rest follows the README. `
        : 'Everything follows the README.', ...content.edited.map(name => action(`Hand ${FIELDS.find(([field]) => field === name)[1].toLowerCase()} back to the README`,
          `content-reset-${name}`, () => save({ reset: [name] }), status)));
      history.replaceChildren(...content.history.map(edit => el('li', {},
        `${new Date(edit.editedAt).toLocaleString()} by ${edit.editedBy}: ${edit.edited.length ? edit.edited.join(', ') : 'all from the README'} `,
        action('Restore', 'content-restore', () => save(null, edit.id), status))));
      render();
    };

    async function save(body, restoreId) {
      const content = restoreId
        ? await api(`${base}/restore`, { method: 'POST', headers, body: { editId: restoreId } })
        : await api(base, { method: 'PATCH', headers, body });
      show(content);
      status.textContent = 'Saved: the page and its social card show it now.';
    }

    const form = el('form', { class: 'content-editor', novalidate: true },
      titleLabel, title, taglineLabel, tagline, descriptionLabel, description, featuresLabel, features, ctaLabelLabel, ctaLabel, ctaUrlLabel, ctaUrl,
      el('button', { type: 'submit', 'data-testid': 'content-save', text: 'Save the copy' }));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      // Only what differs from the writer's is written over it.
      const body = {};
      if (title.value !== written.title) body.title = title.value;
      if (tagline.value !== written.tagline) body.tagline = tagline.value;
      if (description.value !== (written.description || '')) body.description = description.value;
      if (lines().join('\n') !== (written.features || []).join('\n')) body.features = lines();
      if (ctaLabel.value || ctaUrl.value) body.callToAction = { label: ctaLabel.value, url: ctaUrl.value };
      if (!Object.keys(body).length) { status.textContent = 'Nothing changed.'; return; }
      try { await save(body); } catch (error) { status.textContent = error.message; }
    });

    const panel = el('section', { class: 'content-panel', 'aria-label': `Copy of the site`, 'data-testid': 'content-panel' },
      el('h4', { text: 'Copy' }), owned, form, el('h5', { text: 'Preview' }), preview, el('h5', { text: 'Edits' }), history, status);
    api(base, { headers }).then(show).catch(error => { status.textContent = error.message; });
    return panel;
  }

  window.FourSite.contentPanel = contentPanel;
})();
