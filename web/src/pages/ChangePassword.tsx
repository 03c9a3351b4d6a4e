import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { useShowError } from '../components/errors';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Own password change; forced before anything else when an administrator set the password. */
export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();

  const onFinish = async (v: Values) => {
    try {
      await api('/auth/password', {
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      });
      void message.success(t('password.done'));
      form.resetFields();
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Card title={t('password.title')} style={{ maxWidth: 480, margin: forced ? '10vh auto' : undefined }}>
      {forced ? (
        <Alert type="warning" showIcon title={t('password.mustChange')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.next')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
