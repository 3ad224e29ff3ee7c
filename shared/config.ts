/** Runtime configuration from the function's environment, set by the CDK construct or the local stack. */
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
};

export const config = {
  get tableName() {
    return required('TABLE_NAME');
  },
  get eventBusName() {
    return required('EVENT_BUS_NAME');
  },
  /** The sender of the stack's emails, `Name <address>`. */
  get mailFrom() {
    return required('MAIL_FROM');
  },
  /** Base URL of the public API, for links in emails. */
  get publicApiUrl() {
    return required('PUBLIC_API_URL');
  },
  /** The domain replies come back to: `reply+<token>@<replyDomain>`. */
  get replyDomain() {
    return required('REPLY_DOMAIN');
  },
  /** Base URL of the career sites and feeds (the CDN in AWS). */
  get sitesUrl() {
    return required('SITES_URL');
  },
  /** The employer the sites and feeds speak for. */
  get organisation(): { name: string; url: string; logoUrl?: string } {
    return { name: required('ORG_NAME'), url: required('ORG_URL'), ...(process.env.ORG_LOGO_URL ? { logoUrl: process.env.ORG_LOGO_URL } : {}) };
  },
  /** Origins allowed to call public routes from a browser (the career sites). */
  get corsOrigins(): string[] {
    return (process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean);
  },
};
