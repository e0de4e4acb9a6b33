// keyCasing 'legacy' against the real server: the keys a legacy patch stored are the keys the SDK
// patches and queries, and what is stored reads back as the legacy client read it.
import { expect, it } from 'vitest';
import { clientFor, describeJss, rawRequest, uniqueUser } from './support';

describeJss("keyCasing 'legacy'", () => {
  it('stores the legacy keys of a capitalised path and reads them back as the legacy client did', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { keyCasing: 'legacy' });
    const { jobId } = await client.createJob({ user });

    await client.updateJob(jobId, { serviceFields: { Plate: { WellID: 1 }, 'A.B': 2 } });

    const raw = await rawRequest('GET', `1.0/job/${jobId}`, user);
    expect((raw.body.data as Record<string, unknown>[])[0]?.service_fields).toEqual({
      _plate: { _well_i_d: 1 },
      '_a._b': 2,
    });
    expect((await client.getJob(jobId)).serviceFields).toEqual({
      plate: { wellID: 1 },
      'a.B': 2,
    });
  });

  it('patches and finds the keys an earlier legacy patch stored', async () => {
    const user = uniqueUser();
    const client = clientFor(user, { keyCasing: 'legacy' });
    const { jobId } = await client.createJob({ user });
    await client.updateJob(jobId, { serviceFields: { Plate: { WellID: 1 } } });

    await client.updateJob(jobId, { serviceFields: { Plate: { WellID: 2 } } });

    const found = await client.getJobs({ user, serviceFields: { Plate: { WellID: 2 } } });
    expect(found.map((job) => [job.jobId, job.serviceFields])).toEqual([
      [jobId, { plate: { wellID: 2 } }],
    ]);
  });
});
