import { Button, Form, Input, NavBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { homeOf } from '../App';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from '../lib/session';
import { useErrorText } from '../lib/text';

export function LoginPage() {
  const { t } = useTranslation('mobile');
  const { session, login } = useSession();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (session) return <Navigate to={homeOf(session.user.role)} replace />;
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
      navigate('/', { replace: true });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page">
      <NavBar back={null} right={<LanguageSwitch />}>
        {t('app.name')}
      </NavBar>
      <div className="login-hero">
        <img src="/m/icon.svg" alt="" width={72} height={72} />
        <h1>{t('app.name')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
      </div>
      <Form
        layout="horizontal"
        onFinish={submit}
        footer={
          <Button block type="submit" color="primary" size="large" loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        }
      >
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('login.usernameRequired') }]}
        >
          <Input id="m-username" aria-label={t('login.username')} autoComplete="username" clearable />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input
            id="m-password"
            aria-label={t('login.password')}
            type="password"
            autoComplete="current-password"
          />
        </Form.Item>
      </Form>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <div className="login-public">
        <Link to="/public" data-testid="public-link">
          {t('login.public')}
        </Link>
      </div>
    </div>
  );
}
