import { Commands } from '../../constants.ts';
import { armTarget } from '../targets.ts';
import { defineCommand } from '../types.ts';
import { runGatewayApis } from './gatewayApis.ts';

/** Remove APIs from Gateway (multi-select of the assigned ones; run on an API item, that API is preselected). */
export const removeApis = defineCommand({ id: Commands.removeApis, changes: ['apisRemoved'], target: ([arg]) => armTarget(arg), run: (services, item) => runGatewayApis(services, item, 'remove') });
