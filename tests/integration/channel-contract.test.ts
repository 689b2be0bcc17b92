// The channel contract proven on the in-repo fake provider (and its passive-reply twin) before any vendor
// adapter plugs its own fixture in.
import { runChannelContract } from '../support/channelContract.ts';
import { fakeChannelAdapter, fakeChannelFixture } from '../support/fakeChannel.ts';

runChannelContract(fakeChannelFixture());
runChannelContract(fakeChannelFixture(fakeChannelAdapter({ id: 'fake-passive', passiveReply: true })));
