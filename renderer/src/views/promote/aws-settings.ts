// The AWS region and profile the promote view uses; empty means "the SDK's default".

export interface AwsSettings {
  region: string;
  profile: string;
}

/** The API's `{ region?, profile? }`: blank fields are left out so the SDK picks its default. */
export const awsArgs = (settings: AwsSettings): { region?: string; profile?: string } => ({
  ...(settings.region.trim() ? { region: settings.region.trim() } : {}),
  ...(settings.profile.trim() ? { profile: settings.profile.trim() } : {}),
});
