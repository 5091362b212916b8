import { Commands } from '../../constants.ts';
import { armTarget } from '../targets.ts';
import { defineCommand } from '../types.ts';
import { runGatewayApis } from './gatewayApis.ts';

/** Assign APIs to Gateway (multi-select of the service's APIs not yet assigned). */
export const assignApis = defineCommand({ id: Commands.assignApis, changes: ['apisAssigned'], target: ([arg]) => armTarget(arg), run: (services, item) => runGatewayApis(services, item, 'assign') });
