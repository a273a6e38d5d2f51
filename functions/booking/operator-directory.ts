// What the operator's booking routes share: auth's directory as configured, and the filters.
import { z } from 'zod';
import { bookingConfig } from './config';
import { lambdaCustomerDirectory } from './customer-directory';

export const directory = lambdaCustomerDirectory({ functionName: bookingConfig.AUTH_CUSTOMER_DIRECTORY_FUNCTION, endpoint: bookingConfig.LAMBDA_ENDPOINT, region: bookingConfig.AWS_REGION });

export const operatorBookingFilters = {
  email: z.email('must be an email address').max(320).optional(),
  // a booking's reference is the start of its id (the customer reads eight characters)
  // or the reference printed on its tickets ("K7Q-4MX")
  reference: z
    .string()
    .regex(/^([0-9a-fA-F-]{4,36}|[0-9A-Za-z]{3}-[0-9A-Za-z]{3})$/, 'must be a booking reference (K7Q-4MX), or at least 4 characters of its id (0-9, A-F)')
    .optional(),
  status: z.enum(['confirmed', 'cancelled'], 'must be confirmed or cancelled').optional(),
};
