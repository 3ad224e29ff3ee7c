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
  /** Origins allowed to call public routes from a browser (the career sites). */
  get corsOrigins(): string[] {
    return (process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean);
  },
};
