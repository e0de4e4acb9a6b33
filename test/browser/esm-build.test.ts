import { esmBuild } from './support/pages';
import { describeSdkInBrowser } from './support/sdk-suite';

describeSdkInBrowser(esmBuild);
