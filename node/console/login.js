// Masuk: name and password; the API's refusal (401, or 429 with the
// seconds to wait) is shown as it says.

import { t, lang } from './i18n.js';
import { h } from './dom.js';
import { ApiError, login } from './api.js';

export const titleKey = 'loginTitle';

export function show(main, ctx) {
  const error = h('p', { id: 'login-error', class: 'message error', role: 'alert', hidden: true });
  const name = h('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', id: 'login-submit' }, t('loginSubmit'));
  let timer = null;

  const fail = (text, status) => {
    error.textContent = text;
    error.dataset.status = String(status);
    error.hidden = false;
  };

  // Throttled: the button stays disabled until the node takes attempts again.
  const wait = (seconds) => {
    let left = seconds;
    submit.disabled = true;
    fail(t('loginThrottled', left), 429);
    timer = setInterval(() => {
      left -= 1;
      if (left > 0) {
        error.textContent = t('loginThrottled', left);
        return;
      }
      clearInterval(timer);
      timer = null;
      submit.disabled = false;
      error.hidden = true;
    }, 1000);
  };

  const onSubmit = async (event) => {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    try {
      await login(name.value.trim(), password.value);
      if (ctx.alive()) ctx.signedIn();
      return;
    } catch (err) {
      if (!ctx.alive()) return;
      password.value = '';
      if (err instanceof ApiError && err.status === 429 && err.retryAfter > 0) {
        wait(err.retryAfter);
        return;
      }
      if (err instanceof ApiError && err.status === 401) fail(err.text(lang()) || t('loginWrong'), 401);
      else if (err instanceof ApiError) fail(`${t('loginFailed')}: ${err.text(lang())}`, err.status);
      else fail(`${t('loginFailed')}: ${err.message}`, 0);
      password.focus();
    }
    submit.disabled = false;
  };

  main.append(
    h(
      'section',
      { class: 'login' },
      h('h1', { tabindex: '-1' }, t('loginTitle')),
      ctx.notice && h('p', { class: 'message info', role: 'status' }, t(ctx.notice)),
      h('p', {}, t('loginIntro')),
      h(
        'form',
        { id: 'login-form', on: { submit: onSubmit } },
        h('div', { class: 'field' }, h('label', { for: 'login-name' }, t('loginName')), name),
        h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('loginPassword')), password),
        error,
        submit,
      ),
    ),
  );
  name.focus();
  return () => timer && clearInterval(timer);
}
