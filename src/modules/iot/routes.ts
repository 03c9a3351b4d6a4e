import type { FastifyRequest } from 'fastify';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import {
  alarmListQuery,
  deviceBody,
  deviceListQuery,
  deviceParams,
  devicePatchBody,
  rawListQuery,
  typeParams,
  typePatchBody,
} from './schema.js';
import {
  getDevice,
  listAlarms,
  listDevices,
  listDeviceTypes,
  listMaintenanceTasks,
  listRawMessages,
  registerDevice,
  updateDevice,
  updateDeviceType,
} from './service.js';

/** HTTP routes of the IoT module: device registry, thresholds, alarms, raw messages. */
export async function iotRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['iot'];
  const ctx = (r: FastifyRequest) => ctxOf(store.db, r);

  app.get(
    '/iot/device-types',
    { schema: { tags, summary: 'Device types and their alarm thresholds' } },
    (r) => listDeviceTypes(ctx(r)),
  );
  app.patch(
    '/iot/device-types/:code',
    {
      schema: {
        tags,
        summary: "Change a device type's name or alarm thresholds (administrators)",
        params: typeParams,
        body: typePatchBody,
      },
    },
    (r) => updateDeviceType(ctx(r), r.params.code, r.body),
  );
  app.get(
    '/iot/devices',
    { schema: { tags, summary: 'Registered devices in my scope', querystring: deviceListQuery } },
    (r) => listDevices(ctx(r), r.query),
  );
  app.get('/iot/devices/:id', { schema: { tags, summary: 'One device', params: deviceParams } }, (r) =>
    getDevice(ctx(r), r.params.id),
  );
  app.post(
    '/iot/devices',
    { schema: { tags, summary: 'Register a device on a component (administrators)', body: deviceBody } },
    async (r, reply) => reply.status(201).send(await registerDevice(ctx(r), r.body)),
  );
  app.patch(
    '/iot/devices/:id',
    { schema: { tags, summary: 'Change a device', params: deviceParams, body: devicePatchBody } },
    (r) => updateDevice(ctx(r), r.params.id, r.body),
  );
  app.get(
    '/iot/alarms',
    {
      schema: {
        tags,
        summary: 'Sensor alarms, newest first (active: not restored)',
        querystring: alarmListQuery,
      },
    },
    (r) => listAlarms(ctx(r), r.query),
  );
  app.get(
    '/iot/maintenance-tasks',
    { schema: { tags, summary: 'Device maintenance tasks (offline, battery)' } },
    (r) => listMaintenanceTasks(ctx(r)),
  );
  app.get(
    '/iot/raw-messages',
    {
      schema: {
        tags,
        summary: 'Raw device messages as they arrived, with the reason of each rejected one (administrators)',
        querystring: rawListQuery,
      },
    },
    (r) => listRawMessages(ctx(r), r.query),
  );
}
