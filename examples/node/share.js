// Share a SWAS custom image with another account through the official Node.js SDK
// (@alicloud/swas-open20200601), against `imageshare serve --world world.yaml`.
//
//   IMAGESHARE_ENDPOINT=127.0.0.1:8080 node share.js
//
// Over HTTPS (`imageshare serve --https-port 8443` prints the CA file to trust):
//
//   IMAGESHARE_ENDPOINT=127.0.0.1:8443 IMAGESHARE_PROTOCOL=https \
//     NODE_EXTRA_CA_CERTS=imageshare-tls/ca.pem node share.js
//
// The keys and the account id below are the fixed ones world.yaml declares: a test suite
// can hard-code them because the world file makes them exist.
'use strict';

const { default: Swas, ...models } = require('@alicloud/swas-open20200601');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

const ENDPOINT = process.env.IMAGESHARE_ENDPOINT || '127.0.0.1:8080';
const PROTOCOL = process.env.IMAGESHARE_PROTOCOL || 'http';
const REGION = 'cn-hangzhou';
const OWNER = { accessKeyId: 'LTAInodeowner00000000001', accessKeySecret: 'node-owner-secret-00000000001' };
const FRIEND = { accessKeyId: 'LTAInodefriend0000000001', accessKeySecret: 'node-friend-secret-0000000001' };
const FRIEND_ACCOUNT_ID = 1000000000000002;

function client(keys) {
  // imageshare serves plain HTTP unless started with --tls/--https-port; the real service is
  // HTTPS (the SDK's default).
  const config = new $OpenApiUtil.Config({ ...keys, endpoint: ENDPOINT, protocol: PROTOCOL, regionId: REGION });
  return new Swas(config);
}

async function customImages(swas) {
  const request = new models.ListCustomImagesRequest({ regionId: REGION, pageSize: 50 });
  return (await swas.listCustomImages(request)).body.customImages;
}

async function main() {
  const owner = client(OWNER);
  const images = await customImages(owner);
  for (const image of images) {
    console.log(`image ${image.imageId} ${image.name} owned by ${image.userId}`);
  }
  const image = images.find((candidate) => candidate.name === 'golden-node');
  if (!image) throw new Error('world.yaml declares an image named golden-node');

  await owner.addCustomImageShareAccount(new models.AddCustomImageShareAccountRequest({
    regionId: REGION, imageId: image.imageId, account: [FRIEND_ACCOUNT_ID],
  }));
  const shares = await owner.listCustomImageShareAccounts(new models.ListCustomImageShareAccountsRequest({
    regionId: REGION, imageId: image.imageId,
  }));
  for (const user of shares.body.imageShareUsers) {
    console.log(`shared ${image.imageId} with ${user.userId} at ${user.sharedTime}`);
  }

  // The friend's own listing now shows the image, marked as shared with it.
  const seen = (await customImages(client(FRIEND))).find((candidate) => candidate.imageId === image.imageId);
  console.log(`friend sees ${seen ? `${seen.imageId} shared by ${seen.userId}` : 'nothing'}`);
}

main().catch((error) => {
  // Tea errors carry the service's Code and Message, as the real service sends them.
  console.error(`failed: ${error.code || error.name}: ${error.message}`);
  process.exit(1);
});
