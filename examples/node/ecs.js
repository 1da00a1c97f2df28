// Make an ECS custom image and share it with another account through the official Node.js
// SDK (@alicloud/ecs20140526), against `imageshare serve --world world.yaml`:
//
//   IMAGESHARE_ENDPOINT=127.0.0.1:8080 node ecs.js
//
// RunInstances from a public image -> (Running) StopInstance -> (Stopped) CreateImage -> ModifyImageSharePermission
// -> DescribeImageSharePermission; then the friend finds the image among the ones shared
// with it (DescribeImages ImageOwnerAlias=others) and launches an instance from it.
'use strict';

const { default: Ecs, ...models } = require('@alicloud/ecs20140526');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

const ENDPOINT = process.env.IMAGESHARE_ENDPOINT || '127.0.0.1:8080';
const REGION = 'cn-hangzhou';
const OWNER = { accessKeyId: 'LTAInodeowner00000000001', accessKeySecret: 'node-owner-secret-00000000001' };
const FRIEND = { accessKeyId: 'LTAInodefriend0000000001', accessKeySecret: 'node-friend-secret-0000000001' };
const FRIEND_ACCOUNT_ID = '1000000000000002';
const PUBLIC_IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

function client(keys) {
  // imageshare speaks plain HTTP; the real service is HTTPS (the SDK's default).
  const config = new $OpenApiUtil.Config({ ...keys, endpoint: ENDPOINT, protocol: 'http', regionId: REGION });
  return new Ecs(config);
}

async function launch(ecs, imageId) {
  const request = new models.RunInstancesRequest({ regionId: REGION, imageId, instanceType: 'ecs.g7.large' });
  return (await ecs.runInstances(request)).body.instanceIdSets.instanceIdSet[0];
}

async function waitForStatus(ecs, instanceId, status) {
  // An instance is Starting before it is Running and Stopping before it is Stopped (imageshare:
  // IMAGESHARE_ECS_INSTANCE_SETTLE_SECONDS), as on the real service: scripts poll
  // DescribeInstances before the next step.
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const found = (await ecs.describeInstances(new models.DescribeInstancesRequest({
      regionId: REGION, instanceIds: JSON.stringify([instanceId]),
    }))).body.instances.instance[0];
    if (found && found.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${instanceId} did not become ${status}`);
}

async function waitUntilAvailable(ecs, imageId) {
  // A new image is Creating for a while (imageshare: IMAGESHARE_ECS_IMAGE_READY_SECONDS), as
  // on the real service: pipelines poll DescribeImages until it is Available.
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const found = (await ecs.describeImages(new models.DescribeImagesRequest({
      regionId: REGION, imageId, status: 'ALL',
    }))).body.images.image[0];
    if (found && found.status === 'Available') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${imageId} did not become Available`);
}

async function main() {
  const owner = client(OWNER);
  const builder = await launch(owner, PUBLIC_IMAGE);
  await waitForStatus(owner, builder, 'Running');
  await owner.stopInstance(new models.StopInstanceRequest({ instanceId: builder }));
  await waitForStatus(owner, builder, 'Stopped');
  const imageId = (await owner.createImage(new models.CreateImageRequest({
    regionId: REGION, instanceId: builder, imageName: 'golden-ecs-node',
  }))).body.imageId;
  await waitUntilAvailable(owner, imageId);
  console.log(`created ${imageId} from ${builder}`);

  await owner.modifyImageSharePermission(new models.ModifyImageSharePermissionRequest({
    regionId: REGION, imageId, addAccount: [FRIEND_ACCOUNT_ID],
  }));
  const permission = (await owner.describeImageSharePermission(new models.DescribeImageSharePermissionRequest({
    regionId: REGION, imageId,
  }))).body;
  for (const account of permission.accounts.account) {
    console.log(`shared ${imageId} with ${account.aliyunId} at ${account.sharedTime}`);
  }

  const friend = client(FRIEND);
  const shared = (await friend.describeImages(new models.DescribeImagesRequest({
    regionId: REGION, imageOwnerAlias: 'others', pageSize: 100,
  }))).body.images.image.find((image) => image.imageId === imageId);
  console.log(`friend sees ${shared ? `${shared.imageId} owned by ${shared.imageOwnerId}` : 'nothing'}`);
  console.log(`friend launched ${await launch(friend, imageId)}`);
}

main().catch((error) => {
  // Tea errors carry the service's Code and Message, as the real service sends them.
  console.error(`failed: ${error.code || error.name}: ${error.message}`);
  process.exit(1);
});
