import { batchGet } from '../../../shared/table/batch.ts';
import type { Candidate } from '../../candidates/schemas.ts';
import { exportDocument, type PersonRecords } from '../domain/export.ts';
import type { PersonData } from '../domain/ports.ts';
import { fileLink } from './s3-export-files.ts';
import {
  applicationsOf, auditOf, emailsOf, enrollmentsOf, filesOf, getItem, partitionOf, segmentMembershipsOf, tasksOf, type Item,
} from './person-items.ts';

/** Keys and index attributes are storage, not data about the person. */
const plain = (item: Item): Item => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, expiresAt, ...rest } = item;
  return rest;
};

/** Everything held about a person, read from every source in person-items.ts. */
export const personData: PersonData = {
  async export(candidateId, downloadLinkMinutes) {
    const partition = await partitionOf(candidateId);
    const profileItem = partition.find((item) => item.SK === 'PROFILE');
    if (!profileItem) return undefined;
    const profile = plain(profileItem) as unknown as Candidate;
    const [applications, memberships, emails, enrollments, tasks, audit, files, suppression] = await Promise.all([
      applicationsOf(candidateId),
      segmentMembershipsOf(candidateId),
      emailsOf(candidateId),
      enrollmentsOf(candidateId),
      tasksOf(partition),
      auditOf(candidateId),
      filesOf(candidateId),
      getItem({ PK: `SUPP#${profile.email}`, SK: 'SUPPRESSION' }),
    ]);
    const names = await batchGet<Item>([
      ...profile.pools.map((id) => ({ PK: `POOL#${id}`, SK: 'POOL' })),
      ...memberships.map((member) => ({ PK: String(member.PK), SK: 'SEGMENT' })),
    ]);
    const nameOf = (pk: string) => names.find((item) => item.PK === pk)?.name as string | undefined;
    const expiresAt = new Date(Date.now() + downloadLinkMinutes * 60_000).toISOString();
    const records: PersonRecords = {
      profile,
      partition: partition.map((item) => ({ sk: String(item.SK), item: plain(item) })),
      applications: applications.map(plain),
      tasks: tasks.filter((item) => item.SK === 'TASK').map(plain),
      emails: emails.map(plain),
      drips: enrollments.map(plain),
      pools: profile.pools.map((id) => ({ id, name: nameOf(`POOL#${id}`) })),
      segments: memberships.map((member) => ({ id: String(member.segmentId), name: nameOf(String(member.PK)) })),
      audit: audit.map(plain),
      ...(suppression ? { suppression: plain(suppression) } : {}),
      files: await Promise.all(
        files.map(async (file) => ({
          name: file.key.split('/').slice(2).join('/'),
          ...(file.size !== undefined ? { size: file.size } : {}),
          url: await fileLink(file.key, downloadLinkMinutes),
          expiresAt,
        })),
      ),
    };
    return exportDocument(records, new Date().toISOString());
  },
};
