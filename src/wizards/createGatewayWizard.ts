// "Create Self-Hosted Gateway": an APIM service, a gateway name (id), location data and a description → a new
// gateway resource. An existing gateway of that name is never overwritten.
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import type { GatewayInfo } from '../azure/models.ts';
import { checkDescription, checkGatewayId, checkLocationName, checkOptionalLocationPart, firstProblem } from '../azure/validation.ts';
import { pickApimService } from './pickers.ts';
import { InvalidInputError, type WizardDefinition } from './wizard.ts';

export interface CreateGatewayContext {
  serviceId?: string;
  serviceName?: string;
  gatewayName?: string;
  locationName?: string;
  city?: string;
  countryOrRegion?: string;
  description?: string;
  /** Set by the execute step. */
  created?: GatewayInfo;
}

export const CREATE_GATEWAY_TITLE = 'Create Self-Hosted Gateway';

export function createGatewayWizard(data: AzureData, account: AzureAccount): WizardDefinition<CreateGatewayContext> {
  const title = CREATE_GATEWAY_TITLE;
  return {
    title,
    prompts: [
      {
        shouldPrompt: (c) => c.serviceId === undefined,
        prompt: async (c, p, position) => {
          const service = await pickApimService(p, data, account, title, position);
          c.serviceId = service.id;
          c.serviceName = service.name;
        },
      },
      {
        prompt: async (c, p, position) => {
          c.gatewayName = await p.input({ id: 'gatewayName', title, prompt: `Gateway name in ${c.serviceName ?? 'the service'} (its id: at most 80 characters, none of * # & + : < > ?)`, placeholder: 'e.g. rb-arc-gateway', validate: checkGatewayId, ...position });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.locationName = await p.input({ id: 'locationName', title, prompt: 'Location name (required; the gateway logs report it as the region)', placeholder: 'e.g. rb-arc', value: c.locationName ?? '', validate: checkLocationName, ...position });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.city = (await p.input({ id: 'city', title, prompt: 'City (optional)', validate: checkOptionalLocationPart, ...position })) || undefined;
        },
      },
      {
        prompt: async (c, p, position) => {
          c.countryOrRegion = (await p.input({ id: 'countryOrRegion', title, prompt: 'Country or region (optional)', validate: checkOptionalLocationPart, ...position })) || undefined;
        },
      },
      {
        prompt: async (c, p, position) => {
          c.description = (await p.input({ id: 'description', title, prompt: 'Description (optional)', validate: checkDescription, ...position })) || undefined;
        },
      },
    ],
    check: (c) =>
      c.serviceId === undefined
        ? 'No API Management service was chosen.'
        : firstProblem(
            checkGatewayId(c.gatewayName ?? ''),
            checkLocationName(c.locationName ?? ''),
            checkOptionalLocationPart(c.city ?? ''),
            checkOptionalLocationPart(c.countryOrRegion ?? ''),
            checkDescription(c.description ?? ''),
          ),
    execute: [
      {
        title: 'Checking the name is free',
        execute: async (c, _progress, signal) => {
          const existing = await data.getGateway(`${c.serviceId}/gateways/${c.gatewayName}`, { signal });
          if (existing) throw new InvalidInputError(`A gateway named ${c.gatewayName} already exists in ${c.serviceName ?? 'this service'}: choose another name (nothing was changed).`);
        },
      },
      {
        title: 'Creating the gateway',
        execute: async (c, _progress, signal) => {
          c.created = await data.createGateway(
            c.serviceId ?? '',
            c.gatewayName ?? '',
            { name: c.locationName ?? '', ...(c.city ? { city: c.city } : {}), ...(c.countryOrRegion ? { countryOrRegion: c.countryOrRegion } : {}) },
            c.description,
            { signal },
          );
        },
      },
    ],
  };
}
