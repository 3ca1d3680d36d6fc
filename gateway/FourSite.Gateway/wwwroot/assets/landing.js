// The landing page: validate the repository URL, generate with live stages, preview the site, try its lead form, and a few showcase sites as examples.
(() => {
  const { api, el, number, captureLead, sessionId } = window.FourSite;
  const $ = id => document.getElementById(id);
  const input = $('repo-url');
  const terms = $('terms');
  const button = $('generate');
  const hint = $('repo-url-hint');
  const progress = $('progress');
  const bar = progress.querySelector('.bar');
  const status = progress.querySelector('.status');
  const retry = $('retry');
  const defaultHint = hint.textContent;
  // The same rule as the server: https://github.com/{owner}/{repo}, optionally .git, a trailing slash or a deeper path.
  const repoPattern = /^https:\/\/github\.com\/[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9._-]{1,100}(?:\.git)?(?:\/.*)?$/;
  const stageOrder = ['queued', 'fetching-repo', 'writing', 'rendering', 'completed'];
  const startedAt = Date.now();
  let busy = false;

  const urlError = () => {
    const value = input.value.trim();
    if (!value) return '';
    if (!/^https?:\/\//i.test(value)) return 'Start with https://github.com/';
    if (!repoPattern.test(value)) return 'That is not a GitHub repository URL: use https://github.com/owner/repository.';
    return null;
  };
  const refresh = () => {
    const error = urlError();
    input.setAttribute('aria-invalid', error ? 'true' : 'false');
    hint.textContent = error || (error === null ? 'Looks good.' : defaultHint);
    hint.classList.toggle('error', Boolean(error));
    button.disabled = busy || error !== null || !terms.checked;
  };
  input.addEventListener('input', refresh);
  terms.addEventListener('change', refresh);

  const showStage = (stage, value) => {
    const index = stageOrder.indexOf(stage);
    progress.querySelectorAll('[data-stage]').forEach((item, i) => {
      item.classList.toggle('done', index >= 0 && i < index);
      item.classList.toggle('current', i === index);
    });
    const percent = Math.max(0, Math.min(100, Number(value) || (index >= 0 ? (index / (stageOrder.length - 1)) * 100 : 0)));
    bar.setAttribute('aria-valuenow', String(Math.round(percent)));
    bar.firstElementChild.style.width = `${percent}%`;
  };
  const fail = (message, waitSeconds = 0) => {
    busy = false;
    status.textContent = message;
    status.classList.add('error');
    retry.hidden = false;
    if (waitSeconds > 0) {
      retry.disabled = true;
      let left = Math.ceil(waitSeconds);
      const tick = () => {
        retry.textContent = left > 0 ? `Try again in ${left} s` : 'Try again';
        retry.disabled = left > 0;
        if (left-- > 0) setTimeout(tick, 1000);
      };
      tick();
    }
    refresh();
  };

  // The owner token comes once, with the accepted job: it is kept in this browser for the dashboard.
  const remember = site => {
    try {
      const sites = JSON.parse(localStorage.getItem('foursite-sites') || '[]').filter(known => known.siteId !== site.siteId);
      sites.unshift(site);
      localStorage.setItem('foursite-sites', JSON.stringify(sites.slice(0, 50)));
    } catch { /* private mode: the dashboard will not know this site */ }
  };

  const follow = jobId => new Promise((resolve, reject) => {
    const events = new EventSource(`/api/generate/${encodeURIComponent(jobId)}/events`);
    const onStatus = message => {
      const job = JSON.parse(message.data);
      showStage(job.stage, job.progress);
      status.textContent = job.status === 'completed' ? 'Your site is ready.' : `${job.stage.replace('-', ' ')}…`;
      if (job.status === 'completed') { events.close(); resolve(job); }
      if (job.status === 'failed') { events.close(); reject(new Error(job.error || 'The generation failed.')); }
    };
    [...stageOrder, 'failed'].forEach(stage => events.addEventListener(stage, onStatus));
    events.onmessage = onStatus;
    events.onerror = async () => {
      // The stream broke (a proxy, a network blip): the job goes on, so ask for its state instead.
      events.close();
      try {
        for (let i = 0; i < 60; i++) {
          const job = await api(`/api/generate/${encodeURIComponent(jobId)}`);
          showStage(job.stage, job.progress);
          if (job.status === 'completed') return resolve(job);
          if (job.status === 'failed') return reject(new Error(job.error || 'The generation failed.'));
          await new Promise(done => setTimeout(done, 1000));
        }
        reject(new Error('The generation is taking unusually long. Please try again.'));
      } catch (error) { reject(error); }
    };
  });

  const generate = async () => {
    if (button.disabled && !retry.contains(document.activeElement)) return;
    busy = true;
    refresh();
    progress.hidden = false;
    retry.hidden = true;
    status.classList.remove('error');
    status.textContent = 'Starting…';
    showStage('queued', 2);
    const began = performance.now();
    try {
      const accepted = await api('/api/generate', { method: 'POST', body: { repoUrl: input.value.trim(), termsVersion: terms.dataset.version }, headers: { Prefer: 'respond-async' } });
      const job = await follow(accepted.jobId);
      const site = await api(`/api/sites/${encodeURIComponent(job.siteId)}`);
      remember({ siteId: site.siteId, slug: site.slug, title: site.siteData.title, ownerId: accepted.ownerId, ownerToken: accepted.ownerToken, createdAt: site.createdAt });
      window.FourSiteRum?.send('ai_generation', { duration: Math.round(performance.now() - began), success: true, model: site.model });
      showPreview(site);
    } catch (error) {
      window.FourSiteRum?.send('ai_generation', { duration: Math.round(performance.now() - began), success: false });
      if (error.status === 429) fail(`Too many generations right now. ${error.message}`, error.retryAfter || 10);
      else if (error.status === 400) fail(error.message);
      else fail(error.message || 'Something went wrong. Please try again.');
    } finally {
      busy = false;
      refresh();
    }
  };
  $('generate-form').addEventListener('submit', event => { event.preventDefault(); generate(); });
  retry.addEventListener('click', generate);

  let currentSite = null;
  // The preview frame joins the page only once the site exists and window.generatedSiteData describes it.
  const showPreview = site => {
    currentSite = site;
    const url = `/s/${encodeURIComponent(site.slug)}`;
    window.generatedSiteData = site.siteData;
    window.generatedSiteUrl = url;
    $('site-link').href = url;
    $('preview-slot').replaceChildren();
    const frame = document.createElement('iframe');
    frame.id = 'site-preview';
    frame.className = 'preview-frame';
    frame.title = 'Preview of your generated site';
    frame.addEventListener('load', openCapture, { once: true });
    frame.src = url;
    frame.dataset.testid = 'site-preview';
    $('preview').hidden = false;
    $('preview-slot').append(frame);
    $('preview').scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  // The lead form, as a visitor of the new site sees it; it measures the visit for the lead's engagement score.
  let maxScroll = 0;
  let interactions = 0;
  const viewed = new Set();
  addEventListener('scroll', () => {
    const height = document.documentElement.scrollHeight - innerHeight;
    maxScroll = Math.max(maxScroll, height <= 0 ? 100 : Math.round((scrollY / height) * 100));
  }, { passive: true });
  document.addEventListener('click', () => { interactions += 1; });
  document.addEventListener('keydown', () => { interactions += 1; });
  const sections = new IntersectionObserver(entries => entries.forEach(entry => entry.isIntersecting && viewed.add(entry.target.id || entry.target.dataset.testid)));
  document.querySelectorAll('main > section').forEach(section => sections.observe(section));

  const fromTemplate = id => $(id).content.firstElementChild.cloneNode(true);
  let modal = null;
  function openCapture() {
    if (!modal) {
      modal = fromTemplate('lead-modal-template');
      document.body.append(modal);
      $('lead-form').addEventListener('submit', submitLead);
      $('lead-close').addEventListener('click', () => modal.close());
    }
    if (!modal.open) modal.showModal();
    $('lead-email').focus();
  }
  $('open-capture').addEventListener('click', openCapture);

  async function submitLead(event) {
    event.preventDefault();
    const leadForm = event.currentTarget;
    const error = $('lead-error');
    const email = $('lead-email');
    error.textContent = '';
    $('capture-success')?.remove();
    if (!email.value.trim() || !email.checkValidity()) {
      email.setAttribute('aria-invalid', 'true');
      error.textContent = 'Please enter a valid email address.';
      return;
    }
    email.setAttribute('aria-invalid', 'false');
    const data = currentSite?.siteData || {};
    const submit = $('capture-submit');
    submit.disabled = true;
    try {
      const result = await captureLead({
        email: email.value.trim(),
        siteId: currentSite?.siteId,
        projectType: data.projectType,
        template: data.template,
        projectInterests: [...leadForm.querySelectorAll('input[name="interest"]:checked')].map(box => box.value),
        socialPlatforms: [...leadForm.querySelectorAll('input[name="platform"]:checked')].map(box => box.value),
        newsletterOptIn: $('newsletter').checked,
        consentVersion: leadForm.dataset.consentVersion,
        metadata: {
          timeOnSite: Math.round((Date.now() - startedAt) / 1000),
          scrollDepth: maxScroll,
          interactionCount: interactions,
          sectionsViewed: [...viewed].filter(Boolean).slice(0, 20),
          deviceType: innerWidth < 768 ? 'mobile' : 'desktop',
          screenResolution: `${screen.width}x${screen.height}`,
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          language: navigator.language,
          referrer: document.referrer,
          userAgent: navigator.userAgent.slice(0, 512),
          sessionId: sessionId(),
        },
        captureTimestamp: new Date().toISOString(),
      });
      const success = fromTemplate('capture-success-template');
      success.querySelector('[data-testid="lead-score"]').textContent = String(result.leadScore);
      leadForm.append(success);
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      submit.disabled = false;
    }
  }

  refresh();

  // A few sites of the showcase, as examples of what a launch looks like.
  const examples = $('example-sites');
  api('/api/showcase').then(entries => {
    const shown = entries.filter(entry => entry.slug).slice(0, 3);
    examples.replaceChildren(...(shown.length
      ? shown.map(entry => el('article', { class: 'card', 'data-testid': 'example-site' },
        el('h3', {}, el('a', { href: `/s/${encodeURIComponent(entry.slug)}`, text: entry.title || entry.slug })),
        el('p', { class: 'muted', text: `Viral score ${number(entry.viralScore)}${entry.pro ? ' · Pro' : ''}` })))
      : [el('p', { class: 'muted', text: 'No featured sites yet: yours could be the first.' })]));
  }).catch(() => examples.replaceChildren(el('p', { class: 'muted', text: 'The showcase is unavailable right now.' })));
})();
