import { shareChannels, type Job } from '../schemas.ts';

/** The medium each known channel reports in analytics; any other source is a referral. */
const media: Record<(typeof shareChannels)[number], string> = {
  linkedin: 'social',
  x: 'social',
  facebook: 'social',
  email: 'email',
  indeed: 'job-board',
};

/** The network's own share dialog for a URL. Indeed reads the feed, so it has none. */
function intent(channel: string, url: string, job: Pick<Job, 'title'>): string | undefined {
  const u = encodeURIComponent(url);
  switch (channel) {
    case 'linkedin':
      return `https://www.linkedin.com/sharing/share-offsite/?url=${u}`;
    case 'x':
      return `https://x.com/intent/post?url=${u}&text=${encodeURIComponent(`We're hiring: ${job.title}`)}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${u}`;
    case 'email':
      return `mailto:?subject=${encodeURIComponent(job.title)}&body=${encodeURIComponent(`Have a look at this job: ${url}`)}`;
    default:
      return undefined;
  }
}

/**
 * One tracked link per channel: the job page with utm_source, utm_medium and utm_campaign. The page keeps the UTM
 * values and sends them with the application, so the candidate's source says which link brought them.
 */
export function shareLinks(job: Pick<Job, 'url' | 'slug' | 'title'>, options: { sources: string[]; campaign?: string }) {
  const campaign = options.campaign ?? job.slug;
  const channels = [...new Set([...shareChannels, ...options.sources])];
  return channels.map((channel) => {
    const utm = { source: channel, medium: media[channel as keyof typeof media] ?? 'referral', campaign };
    const link = new URL(job.url);
    link.searchParams.set('utm_source', utm.source);
    link.searchParams.set('utm_medium', utm.medium);
    link.searchParams.set('utm_campaign', utm.campaign);
    const url = link.toString();
    const shareUrl = intent(channel, url, job);
    return { channel, url, ...(shareUrl ? { shareUrl } : {}), utm };
  });
}
