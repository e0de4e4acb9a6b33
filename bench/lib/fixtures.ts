// Realistic JSS data for the bench: jobs as a JSS server sends them (snake_case, arrays of files
// handed back as index-keyed objects, `(dot)`-escaped keys, `+0000` times, progress and log
// entries) and large service-field updates as a caller writes them.

const STATUSES = ['WAITING', 'WORKING', 'SUCCEEDED', 'FAILED'] as const;
const FILES_PER_JOB = 12; // more than 10: the index keys "10" and "11" must rebuild in order

/** A JSS time for job `index`: minutes apart, in the legacy `+0000` form. */
function jssTime(index: number, offsetMs = 0): string {
  const ms = Date.UTC(2024, 0, 15, 8, 0, 0) + index * 60_000 + offsetMs;
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** An index-keyed object, the form in which stores without dotted-path arrays return arrays. */
function indexKeyed<T>(elements: readonly T[]): Record<string, T> {
  return Object.fromEntries(elements.map((element, index) => [String(index), element]));
}

function wireFile(job: number, file: number): Record<string, unknown> {
  return {
    file_name: `plate${job}_well${file}.czi`,
    original_path: `/allen/aics/microscopy/plate${job}/well${file}.czi`,
    size_bytes: 1_048_576 + job * 31 + file,
    md5: `${(job * 7919 + file).toString(16).padStart(8, '0')}d41d8cd98f00b204e9800998ecf8427e`,
    tags: indexKeyed(['raw', 'microscopy', file % 2 === 0 ? 'brightfield' : 'fluorescence']),
    acquisition: { scene_index: file, channel_count: 4, z_slices: 65 },
  };
}

/** The wire form of job number `index`, about 4 KB of JSON with ~130 service-field leaves. */
export function wireJob(index: number): Record<string, unknown> {
  const id = (0x1000_0000 + index).toString(16).padStart(32, '0');
  return {
    job_id: id,
    user: 'bench',
    status: STATUSES[index % STATUSES.length],
    job_name: `upload plate ${index}`,
    service: 'fss-upload',
    current_host: `worker-${index % 8}.example.org`,
    current_stage: 'copying',
    origination_host: 'lims.example.org',
    parent_id: null,
    child_ids: [],
    update_parent: false,
    service_fields: {
      type: 'upload',
      request: {
        source_host: 'microscope-3',
        submitted_by: 'bench',
        priority: index % 5,
        dry_run: false,
      },
      files: indexKeyed(Array.from({ length: FILES_PER_JOB }, (_, file) => wireFile(index, file))),
      'plate(dot)json': { barcode: `BC${index}`, well_count: 96, imaged_wells: indexKeyed([1, 2]) },
      output: {
        bucket: 'aics-uploads',
        prefix: `2024/01/15/${id}`,
        uploaded_at: jssTime(index, 30_000),
      },
    },
    created: jssTime(index),
    modified: jssTime(index, 45_000),
    progress: { completed: 7, total: 12, percent: 58.33 },
    logs: [
      { time: jssTime(index, 1_000), level: 'info', message: 'queued' },
      {
        time: jssTime(index, 20_000),
        level: 'success',
        message: 'copied 7 of 12 files',
        data: { copied_files: 7, last_file: `well6.czi` },
      },
    ],
  };
}

/** A successful answer holding `count` jobs, as the server sends it for a query. */
export function jobsEnvelope(count: number): Record<string, unknown> {
  return {
    response_type: 'SUCCESS',
    data: Array.from({ length: count }, (_, index) => wireJob(index)),
    total_count: count,
    offset: 0,
    has_more: false,
  };
}

/** One image record of an update: 10 leaves (camelCase keys, an array, a dotted key). */
function imageRecord(plate: number, image: number): Record<string, unknown> {
  return {
    fileName: `plate${plate}/image${image}.ome.tiff`,
    sizeBytes: 2_000_000 + image,
    acquiredAt: '2024-01-15T08:00:00.000Z',
    stagePosition: { x: image * 0.5, y: plate * 0.25, z: 12.5 },
    channelIds: [0, 1, 2],
    'qc.passed': image % 3 !== 0,
  };
}

const LEAVES_PER_IMAGE = 10;
const IMAGES_PER_PLATE = 10;

/**
 * An update whose `serviceFields` hold `leaves` leaves (a multiple of 10), nested plates → images →
 * fields, as a caller passes it to `updateJob`.
 */
export function largeUpdate(leaves: number): Record<string, unknown> {
  const images = Math.ceil(leaves / LEAVES_PER_IMAGE);
  const plates = Array.from({ length: Math.ceil(images / IMAGES_PER_PLATE) }, (_, plate) => ({
    images: Array.from(
      { length: Math.min(IMAGES_PER_PLATE, images - plate * IMAGES_PER_PLATE) },
      (_, image) => imageRecord(plate, image),
    ),
  }));
  return { currentStage: 'registering', serviceFields: { plates } };
}

/** How many leaves `value` has: what a `$set` patch writes one key for. */
export function countLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countLeaves(item), 0);
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).reduce((sum: number, item) => sum + countLeaves(item), 0);
  }
  return 1;
}
