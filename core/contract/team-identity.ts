// A participant's identity inside the lab's cluster (issue #17): a ServiceAccount per person in
// one namespace, so the API server's audit log names the person who made each change.

export const TEAM_NAMESPACE = 'kartstream-team';
/** On each participant's ServiceAccount: the person's name as invited (names may not fit a DNS label). */
export const PERSON_ANNOTATION = 'kartstream.dev/person';

/** The ServiceAccount name for a person: a DNS label derived from the name ("Ana María" → "ana-mar-a"). */
export const personServiceAccount = (person: string): string => {
  const slug = person
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return `person-${slug || 'anonymous'}`;
};

/** The ServiceAccount an audit event's username names, if it is one of the team's. */
export const teamServiceAccountOf = (username: string): string | undefined => {
  const prefix = `system:serviceaccount:${TEAM_NAMESPACE}:`;
  return username.startsWith(prefix) ? username.slice(prefix.length) : undefined;
};
