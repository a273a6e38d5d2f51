// Generated from docs/openapi.json by `npm run openapi` (openapi-typescript): do not edit.
export interface paths {
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open a customer account
         * @description The answer is the same whether or not the email had an account (its owner is mailed instead), so it tells nobody which emails are customers.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with email and password */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End this session */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who I am */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change my name or email */
        patch: operations["updateProfile"];
        trace?: never;
    };
    "/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change my password (my other sessions end) */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask for a password reset token by email */
        post: operations["requestPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with a reset token */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dev/mailbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the platform would have mailed to an address (local stages only) */
        get: operations["devMailbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My sessions: where and when I am signed in */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        /** Sign out everywhere else */
        delete: operations["endOtherSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one of my sessions */
        delete: operations["endSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The identity providers offered */
        get: operations["oidcProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/{provider}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start a sign-in: the browser is sent to the provider (authorization code with PKCE) */
        get: operations["oidcStart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/{provider}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the provider sends the browser back; on to the web app with a one-time code */
        get: operations["oidcCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The one-time code for a session */
        post: operations["oidcExchange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Accounts by the start of their email, and the roles an operator can give
         * @description Operators only (an admin account).
         */
        get: operations["listAccounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users/{id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Give an account a role (customer, admin or door)
         * @description Operators only (an admin account).
         */
        put: operations["setRole"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Make an account door staff (or admin, or customer) by its email, creating it when a password is given
         * @description Operators only (an admin account).
         */
        put: operations["grantRole"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/movies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The movies showing (search, genre, a day) */
        get: operations["listMovies"];
        put?: never;
        /**
         * Add a movie to the programme
         * @description Operators only (an admin account).
         */
        post: operations["createMovie"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/movies/upcoming": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The movies coming soon */
        get: operations["upcomingMovies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/movies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A movie and its coming showtimes */
        get: operations["getMovie"];
        put?: never;
        post?: never;
        /**
         * Delete a movie that was never scheduled
         * @description Operators only (an admin account).
         */
        delete: operations["deleteMovie"];
        options?: never;
        head?: never;
        /**
         * Change a movie
         * @description Operators only (an admin account).
         */
        patch: operations["updateMovie"];
        trace?: never;
    };
    "/movies/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a movie (out of the listings, no new showtimes)
         * @description Operators only (an admin account).
         */
        post: operations["archiveMovie"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/halls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The halls */
        get: operations["listHalls"];
        put?: never;
        /**
         * Add a hall with its seat layout
         * @description Operators only (an admin account).
         */
        post: operations["createHall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/halls/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A hall and its rows of seats */
        get: operations["getHall"];
        put?: never;
        post?: never;
        /**
         * Delete a hall that was never scheduled
         * @description Operators only (an admin account).
         */
        delete: operations["deleteHall"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/halls/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a hall (no new showtimes)
         * @description Operators only (an admin account).
         */
        post: operations["archiveHall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The showtimes (of a movie, a hall, a day) */
        get: operations["listShowtimes"];
        put?: never;
        /**
         * Schedule a showtime of a movie in a hall
         * @description Operators only (an admin account).
         */
        post: operations["scheduleShowtime"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Schedule a series of showtimes (days and times), all or none
         * @description Operators only (an admin account).
         */
        post: operations["scheduleSeries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A showtime */
        get: operations["getShowtime"];
        put?: never;
        post?: never;
        /**
         * Cancel a showtime (its bookings are cancelled and refunded)
         * @description Operators only (an admin account).
         */
        delete: operations["cancelShowtime"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/seats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A showtime and its seat map, as the catalog last heard of it */
        get: operations["seatMap"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/layout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A showtime’s layout and prices (rarely changes: cache it with its ETag) */
        get: operations["showtimeLayout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/wishlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The movies on my wishlist */
        get: operations["wishlist"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/wishlist/{movieId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Put a movie on my wishlist */
        put: operations["addToWishlist"];
        post?: never;
        /** Take a movie off my wishlist */
        delete: operations["removeFromWishlist"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cart/holds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hold seats of a showtime: name them, or ask for the best `count`
         * @description A hold lasts a few minutes (renew it up to a cap). Send either `seats`, or `count` (with `category`, `accessible`) and the server picks the best seats in one atomic step.
         */
        post: operations["holdSeats"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cart/holds/{showtimeId}/{seatId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Let go of a held seat */
        delete: operations["releaseSeat"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cart/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renew my holds (up to their cap) */
        post: operations["renewHolds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My cart: the seats I hold */
        get: operations["getCart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cart/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check out a showtime’s held seats (its amount is fixed from the server’s own cart) */
        post: operations["checkoutCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My bookings, newest first */
        get: operations["listBookings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every customer’s bookings (by showtime, customer email, reference, status)
         * @description Operators only (an admin account).
         */
        get: operations["searchBookings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A showtime’s bookings
         * @description Operators only (an admin account).
         */
        get: operations["showtimeBookings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My numbers: bookings, seats, money spent */
        get: operations["bookingStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of my bookings */
        get: operations["getBooking"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel my booking (its payment is refunded) */
        post: operations["cancelBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which seats of a showtime are taken, live (signed in: which are mine) */
        get: operations["showtimeAvailability"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/blocked-seats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Block seats of a showtime (nobody can hold them)
         * @description Operators only (an admin account).
         */
        put: operations["setBlockedSeats"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/seating-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * A showtime’s seating rules (no single seat stranded), or back to the default
         * @description Operators only (an admin account).
         */
        put: operations["setSeatingRules"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/reports/showtimes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The numbers of each showtime and each day of a range (seats from booking, money from payment)
         * @description Operators only (an admin account).
         */
        get: operations["reportShowtimes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/reports/movies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The numbers of each movie over a range of days
         * @description Operators only (an admin account).
         */
        get: operations["reportMovies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/reports/sales.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sales of a range of days as CSV, one row per ticket (opens in a spreadsheet)
         * @description Operators only (an admin account).
         */
        get: operations["reportSalesCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/reports/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where booking and payment disagree (there should be nowhere)
         * @description Operators only (an admin account).
         */
        get: operations["reportReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tickets/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The cinema’s ticket-issuing public keys: a ticket code verifies with these alone */
        get: operations["ticketKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My booking’s tickets: one per seat, its code and its QR code */
        get: operations["bookingTickets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}/tickets/{ticketId}/reissue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new code for a seat’s ticket (the old one is revoked) */
        post: operations["reissueTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A door device’s scan, live or from its offline journal: a verdict for whatever the code holds
         * @description The same scanId counts once however often it is sent; a ticket is admitted once, whatever the concurrency; an offline admission of a ticket another device let in is recorded as a conflict.
         *
         *     Door staff and operators only.
         */
        post: operations["checkIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/checkins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A showtime’s check-ins: counts, scans and conflicts
         * @description Door staff and operators only.
         */
        get: operations["showtimeCheckins"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/showtimes/{id}/door-manifest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a door device needs to check a showtime’s tickets offline
         * @description Door staff and operators only.
         */
        get: operations["doorManifest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My payments, newest first */
        get: operations["listPayments"];
        put?: never;
        /** Pay a checkout: the amount and seats are the checkout’s, never the request’s */
        post: operations["startPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of my payments */
        get: operations["getPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The payment provider’s signed word on a payment (HMAC over timestamp and body)
         * @description For the provider only. A duplicate changes nothing.
         */
        post: operations["providerWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/test-provider/sessions/{sessionId}/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pay a session with a test card (the built-in provider plays the card network) */
        post: operations["testProviderPay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/test-provider/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A test provider’s session: its amount and the test cards */
        get: operations["testProviderSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My booking’s proof from the ledger (a file to verify offline) */
        get: operations["bookingProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ledger/genesis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The ledger cluster’s genesis: what the chain and every booking proof verify against
         * @description The same document each replica serves at GET /genesis. Compare its hash with one you got another way before you trust it.
         */
        get: operations["ledgerGenesis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The web app: its page (`/`), its files (`/assets/{file}`) and the test provider’s payment page */
        get: operations["webApp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The web app: its page (`/`), its files (`/assets/{file}`) and the test provider’s payment page */
        get: operations["webApp2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/test-provider/pay/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The web app: its page (`/`), its files (`/assets/{file}`) and the test provider’s payment page */
        get: operations["webApp3"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document: OpenAPI 3.1 */
        get: operations["apiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API reference, a page to read and try this document */
        get: operations["apiReference"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                /** @description A stable, machine-readable code: bad_request, validation_failed, unauthorized, forbidden, not_found, conflict, gone, unprocessable, too_many_requests, payload_too_large, unsupported_media_type, internal */
                code: string;
                /** @description What is wrong, in words a person can act on */
                message: string;
                /** @description More about the refusal: for a validation failure, each field (`body.title`) and its problem */
                details?: unknown;
            };
        };
        AccountSession: {
            /** Format: uuid */
            id: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            signedInAt: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            expiresAt: string;
            clientIp: string | null;
            userAgent: string | null;
            signedInWith: string;
            current: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description The seats of a showtime that are not free, from the arbiter itself */
        Availability: {
            /** Format: uuid */
            showtimeId: string;
            version: string;
            bookable: boolean;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            asOf: string;
            held: string[];
            sold: string[];
            blocked: string[];
            mine: ({
                /** @description A seat id, row and number: C5 */
                seatId: string;
                /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                expiresAt: string;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        Booking: {
            /** Format: uuid */
            id: string;
            /** @description The booking reference printed on its tickets (K7Q-4MX); null for a booking confirmed before tickets were issued */
            reference: string | null;
            /** Format: uuid */
            showtimeId: string;
            movieTitle: string;
            hallName: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            startsAt: string;
            /** Format: uuid */
            paymentId: string;
            seats: string[];
            amount: number;
            currency: string;
            /** @enum {string} */
            status: "confirmed" | "cancelled";
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            createdAt: string;
            cancelledAt: string | null;
            cancelReason: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description What the chain holds of a booking and its payment, to check offline with nothing but the genesis */
        BookingProof: {
            format: string;
            /** @description The chain’s name, from its genesis */
            chainName: string;
            bookingId: string;
            generatedAt: string;
            facts: ({
                /** @description payment.success, booking.confirmed, … */
                event: string;
                /** @description The transaction, its inclusion proof, the block header and its commit certificate */
                proof: {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        /** @description The seats I hold, per showtime, until they expire */
        Cart: {
            showtimes: components["schemas"]["CartShowtime"][];
            total: number;
            currency: string | null;
        } & {
            [key: string]: unknown;
        };
        CartShowtime: {
            /** Format: uuid */
            showtimeId: string;
            movieTitle: string;
            hallName: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            startsAt: string;
            currency: string;
            seats: ({
                /** @description A seat id, row and number: C5 */
                seatId: string;
                category: string;
                price: number;
                /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                expiresAt: string;
            } & {
                [key: string]: unknown;
            })[];
            subtotal: number;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            expiresAt: string;
        } & {
            [key: string]: unknown;
        };
        /** @description A showtime’s held seats and their amount, fixed for payment */
        Checkout: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            showtimeId: string;
            seats: string[];
            amount: number;
            currency: string;
            status: string;
            holdExpiresAt: string | null;
        } & {
            [key: string]: unknown;
        };
        CustomerBooking: {
            /** Format: uuid */
            id: string;
            /** @description The booking reference printed on its tickets (K7Q-4MX); null for a booking confirmed before tickets were issued */
            reference: string | null;
            /** Format: uuid */
            showtimeId: string;
            movieTitle: string;
            hallName: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            startsAt: string;
            /** Format: uuid */
            paymentId: string;
            seats: string[];
            amount: number;
            currency: string;
            /** @enum {string} */
            status: "confirmed" | "cancelled";
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            createdAt: string;
            cancelledAt: string | null;
            cancelReason: string | null;
            customer: ({
                email: string;
                name: string;
            } & {
                [key: string]: unknown;
            }) | null;
        } & {
            [key: string]: unknown;
        };
        GatewayRefusal: {
            message: string;
        } & {
            [key: string]: unknown;
        };
        Hall: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @description Seats per category */
            categories: {
                [key: string]: number;
            };
            seatCount: number;
            /** @description Where best-available seats are nearest to; null: the centre of the screen row */
            focalPoint: ({
                row: string;
                column?: number;
            } & {
                [key: string]: unknown;
            }) | null;
            archivedAt: string | null;
        } & {
            [key: string]: unknown;
        };
        LayoutSeat: {
            seatId: string;
            number: number;
            category: string;
            accessible: boolean;
            price: number;
        } & {
            [key: string]: unknown;
        };
        Movie: {
            /** Format: uuid */
            id: string;
            title: string;
            description: string;
            genres: string[];
            durationMinutes: number;
            rating: string | null;
            /** @description A calendar day, ISO 8601 (2026-12-01) */
            releaseDate: string;
            posterUrl: string | null;
            /** @description When an operator archived it (out of the listings); null while showing */
            archivedAt: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description What can be done with the payment, in words */
        NextStep: {
            canPay: boolean;
            message: string;
        } & {
            [key: string]: unknown;
        };
        Payment: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            checkoutId: string;
            /** Format: uuid */
            showtimeId: string;
            seats: string[];
            amount: number;
            currency: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "refunded";
            providerSessionId: string;
            failureReason: string | null;
            /** @description The money given back, and why */
            refund: ({
                id: string;
                amount: number;
                reason: string;
                /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                refundedAt: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            createdAt: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        PaymentStart: {
            payment: components["schemas"]["Payment"];
            /** @description Only while the payment is pending: how to pay */
            nextAction: ({
                type: string;
                /** @description Where to send the card (the test provider) */
                url: string;
                /** @description The provider’s payment page */
                pageUrl?: string;
                testCards: string[];
            } & {
                [key: string]: unknown;
            }) | null;
            nextStep: components["schemas"]["NextStep"];
        };
        SeatLayout: {
            width: number;
            rows: ({
                label: string;
                cells: (components["schemas"]["LayoutSeat"] | null)[];
            } & {
                [key: string]: unknown;
            })[];
            categories: ({
                name: string;
                price: number;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        SeatMap: {
            rows: ({
                label: string;
                cells: (({
                    seatId: string;
                    number: number;
                    category: string;
                    accessible: boolean;
                    price: number;
                    status: string;
                } & {
                    [key: string]: unknown;
                }) | null)[];
            } & {
                [key: string]: unknown;
            })[];
            counts: {
                [key: string]: number;
            };
        } & {
            [key: string]: unknown;
        };
        Showtime: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            movieId: string;
            movieTitle: string;
            /** Format: uuid */
            hallId: string;
            hallName: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            startsAt: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            endsAt: string;
            /** @description Price per seat category, in cents */
            prices: {
                [key: string]: number;
            };
            currency: string;
            /** @enum {string} */
            status: "scheduled" | "cancelled";
        } & {
            [key: string]: unknown;
        };
        ShowtimesReport: {
            from: string;
            to: string;
            timeZone: string;
            currency: string | null;
            showtimes: ({
                /** Format: uuid */
                showtimeId: string;
                /** Format: uuid */
                movieId: string;
                movieTitle: string;
                hallName: string;
                /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                startsAt: string;
                day: string;
                status: string;
                currency: string;
                capacity: number;
                sold: number;
                held: number;
                free: number;
                blocked: number;
                /** @description Sold of capacity, per cent */
                occupancy: number;
                gross: number;
                refunds: number;
                net: number;
                /** @description Tickets the door admitted */
                checkedIn: number;
            } & {
                [key: string]: unknown;
            })[];
            days: ({
                day: string;
                capacity: number;
                sold: number;
                held: number;
                free: number;
                blocked: number;
                /** @description Sold of capacity, per cent */
                occupancy: number;
                gross: number;
                refunds: number;
                net: number;
                /** @description Tickets the door admitted */
                checkedIn: number;
            } & {
                [key: string]: unknown;
            })[];
            totals: {
                showtimes: number;
                capacity: number;
                sold: number;
                held: number;
                free: number;
                blocked: number;
                /** @description Sold of capacity, per cent */
                occupancy: number;
                gross: number;
                refunds: number;
                net: number;
                /** @description Tickets the door admitted */
                checkedIn: number;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        SignIn: {
            /** @description The session token: send it as Authorization: Bearer <token> */
            token: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            expiresAt: string;
            user: components["schemas"]["User"];
            /** @description This device, remembered: send it with the next sign-in to be spared the throttle of unknown devices */
            deviceToken?: string;
        } & {
            [key: string]: unknown;
        };
        Ticket: {
            /** Format: uuid */
            id: string;
            /** @description A seat id, row and number: C5 */
            seat: string;
            reference: string;
            /** @description The signed ticket code (base45), what the QR code holds; null once revoked */
            code: string | null;
            /** @description The QR code, as SVG; null once revoked */
            qrSvg?: string | null;
            keyId: number;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            validFrom: string;
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            validUntil: string;
            /** @enum {string} */
            status: "valid" | "revoked";
            revokeReason: string | null;
            replaces: string | null;
        } & {
            [key: string]: unknown;
        };
        User: {
            /** Format: uuid */
            id: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "customer" | "admin" | "door";
            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
            createdAt: string;
        } & {
            [key: string]: unknown;
        };
    };
    responses: {
        /** @description The request is malformed or fails validation (`bad_request`, `validation_failed`: `details` names each field). A URL the gateway itself cannot decode (percent-encoded bytes that are not UTF-8) is refused by the gateway, in its own words (`GatewayRefusal`). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] | components["schemas"]["GatewayRefusal"];
            };
        };
        /** @description Not signed in, or the session has ended (`unauthorized`) */
        NotSignedIn: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Credentials were sent and do not hold: sign in again, or send none (`unauthorized`) */
        CredentialsRefused: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The account is not an operator’s (`forbidden`) */
        NotAnOperator: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The account is neither door staff nor an operator’s (`forbidden`) */
        NotDoorStaff: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than 64 KiB (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A body that is not JSON (`unsupported_media_type`) */
        NotJson: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Our fault: a generic message, the detail in our log under the answer’s x-correlation-id (`internal`) */
        Internal: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description The account asked for */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            email: string;
                            name: string;
                            /** @constant */
                            role: "customer";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description An account with this email exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Too many tries: wait as long as Retry-After says (`too_many_requests`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    deviceToken?: string;
                };
            };
        };
        responses: {
            /** @description A session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignIn"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Wrong email or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Too many tries: wait as long as Retry-After says (`too_many_requests`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description The account is gone */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    updateProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    email?: string;
                    currentPassword?: string;
                };
            };
        };
        responses: {
            /** @description My account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description Another account has this email */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword?: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The current password is wrong */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many tries: wait as long as Retry-After says (`too_many_requests`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    requestPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                };
            };
        };
        responses: {
            /** @description Whether or not the account exists, the same answer */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Too many tries: wait as long as Retry-After says (`too_many_requests`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Set; every session ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The token is wrong, used or expired */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many tries: wait as long as Retry-After says (`too_many_requests`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    devMailbox: {
        parameters: {
            query: {
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest mails */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        to: string;
                        mails: ({
                            subject: string;
                            body: string;
                            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                            sentAt: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Not on this stage */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My live sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sessions: components["schemas"]["AccountSession"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    endOtherSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many ended */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ended: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    endSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such session of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    oidcProviders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The providers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        providers: ({
                            id: string;
                            name: string;
                            /** @description Where the browser starts the sign-in */
                            start: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    oidcStart: {
        parameters: {
            query?: {
                returnTo?: string;
            };
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the provider’s page */
            302: {
                headers: {
                    /** @description The provider’s authorization URL */
                    location?: string;
                    /** @description Binds the sign-in to this browser */
                    "set-cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description No such provider */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description returnTo is not one of ours */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    oidcCallback: {
        parameters: {
            query: {
                state: string;
                code?: string;
                error?: string;
                iss?: string;
            };
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the web app, the one-time code (or the reason there is none) in the URL’s fragment */
            302: {
                headers: {
                    /** @description The web app */
                    location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description The sign-in does not hold: not started in this browser, or the ID token refused (signature, issuer, audience, nonce, expiry), or an email the provider has not verified */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such provider */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    oidcExchange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description A session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignIn"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The code is wrong, used or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Too many tries: wait as long as Retry-After says (`too_many_requests`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    listAccounts: {
        parameters: {
            query?: {
                email?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description At most 50 accounts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["User"][];
                        roles: string[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    setRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "customer" | "admin" | "door";
                };
            };
        };
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such account */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An operator cannot take their own admin role away */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    grantRole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    /** @enum {string} */
                    role: "customer" | "admin" | "door";
                    name?: string;
                    password?: string;
                };
            };
        };
        responses: {
            /** @description The account, with its new role */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            /** @description A new account with the role */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No account with this email, and no password to create it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    listMovies: {
        parameters: {
            query?: {
                search?: string;
                genre?: string;
                date?: string;
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of movies */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Movie"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    createMovie: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    title: string;
                    /** @default  */
                    description?: string;
                    /** @default [] */
                    genres?: string[];
                    durationMinutes: number;
                    /** @default null */
                    rating?: string | null;
                    /** Format: date */
                    releaseDate: string;
                    /** @default null */
                    posterUrl?: string | null;
                };
            };
        };
        responses: {
            /** @description The movie */
            201: {
                headers: {
                    /** @description The movie’s URL */
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movie: components["schemas"]["Movie"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    upcomingMovies: {
        parameters: {
            query?: {
                genre?: string;
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of movies */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Movie"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    getMovie: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The movie */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movie: components["schemas"]["Movie"];
                        showtimes: ({
                            /** Format: uuid */
                            id: string;
                            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                            startsAt: string;
                            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                            endsAt: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description No such movie */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    deleteMovie: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such movie */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It has showtimes: archive it instead */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    updateMovie: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    title?: string;
                    description?: string;
                    genres?: string[];
                    durationMinutes?: number;
                    rating?: string | null;
                    /** Format: date */
                    releaseDate?: string;
                    posterUrl?: string | null;
                };
            };
        };
        responses: {
            /** @description The movie as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movie: components["schemas"]["Movie"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such movie */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The change is refused by what depends on it */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    archiveMovie: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The movie */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movie: components["schemas"]["Movie"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such movie */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It still has a showtime to come (named): cancel it first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    listHalls: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every hall */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Hall"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    createHall: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    layout: {
                        categories: {
                            [key: string]: number;
                        };
                        rows: {
                            label: string;
                            seats: (null | string | {
                                category: string;
                                accessible?: boolean;
                            })[];
                        }[];
                        focalPoint?: {
                            row: string;
                            column?: number;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description The hall */
            201: {
                headers: {
                    /** @description The hall’s URL */
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hall: components["schemas"]["Hall"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description A hall of that name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    getHall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The hall */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hall: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            /** @description Seats per category */
                            categories: {
                                [key: string]: number;
                            };
                            seatCount: number;
                            /** @description Where best-available seats are nearest to; null: the centre of the screen row */
                            focalPoint: ({
                                row: string;
                                column?: number;
                            } & {
                                [key: string]: unknown;
                            }) | null;
                            archivedAt: string | null;
                            rows: unknown[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description No such hall */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    deleteHall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such hall */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It has showtimes: archive it instead */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    archiveHall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The hall */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hall: components["schemas"]["Hall"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such hall */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It still has a showtime to come (named): cancel it first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    listShowtimes: {
        parameters: {
            query?: {
                movieId?: string;
                hallId?: string;
                date?: string;
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of showtimes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Showtime"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    scheduleShowtime: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    movieId: string;
                    /** Format: uuid */
                    hallId: string;
                    /** Format: date-time */
                    startsAt: string;
                    prices?: {
                        [key: string]: number;
                    };
                };
            };
        };
        responses: {
            /** @description The showtime */
            201: {
                headers: {
                    /** @description The showtime’s URL */
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        showtime: components["schemas"]["Showtime"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such movie or hall */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It overlaps another showtime of the hall (turnaround included), or its movie or hall is archived (`conflict`; `details` lists the clashes) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The prices do not fit the hall’s categories, or it starts in the past */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    scheduleSeries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    movieId: string;
                    /** Format: uuid */
                    hallId: string;
                    prices?: {
                        [key: string]: number;
                    };
                    times?: string[];
                    /** Format: date */
                    from?: string;
                    /** Format: date */
                    to?: string;
                    startsAt?: string[];
                };
            };
        };
        responses: {
            /** @description The showtimes */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        showtimes: components["schemas"]["Showtime"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such movie or hall */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It overlaps another showtime of the hall (turnaround included), or its movie or hall is archived (`conflict`; `details` lists the clashes) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The series is not one that can be scheduled */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    getShowtime: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The showtime */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        showtime: components["schemas"]["Showtime"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    cancelShowtime: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled showtime */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        showtime: components["schemas"]["Showtime"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It has already started */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    seatMap: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The showtime and its seat map */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        movieId: string;
                        movieTitle: string;
                        /** Format: uuid */
                        hallId: string;
                        hallName: string;
                        /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                        startsAt: string;
                        /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                        endsAt: string;
                        /** @description Price per seat category, in cents */
                        prices: {
                            [key: string]: number;
                        };
                        currency: string;
                        /** @enum {string} */
                        status: "scheduled" | "cancelled";
                        seatMap: components["schemas"]["SeatMap"];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    showtimeLayout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The showtime and its layout */
            200: {
                headers: {
                    /** @description Send it back as If-None-Match */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        showtime: components["schemas"]["Showtime"];
                        layout: components["schemas"]["SeatLayout"];
                    };
                };
            };
            /** @description Your copy (If-None-Match) is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    wishlist: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The wishlist */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Movie"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    addToWishlist: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                movieId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Added */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        movieId: string;
                    };
                };
            };
            /** @description It was on it already */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such movie */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    removeFromWishlist: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                movieId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Taken off */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description It is not on my wishlist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    holdSeats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    showtimeId: string;
                    seats?: string[];
                    count?: number;
                    category?: string;
                    accessible?: boolean;
                };
            };
        };
        responses: {
            /** @description Held: my cart (with `held` when the server chose the seats) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cart: components["schemas"]["Cart"];
                        held?: {
                            seats: string[];
                            together: boolean;
                        } & {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A seat is held by someone else or sold (`conflict`; `details` names them) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The showtime is cancelled or has started (`gone`) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description A rule of holding is broken: too many seats, a seat not in the hall, a single seat stranded (`unprocessable`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    releaseSeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                showtimeId: string;
                seatId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Let go */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description I hold no such seat */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    renewHolds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My cart */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cart: components["schemas"]["Cart"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description I hold no live seat (of the showtime named) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The holds reached their cap */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    getCart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My cart */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cart: components["schemas"]["Cart"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    checkoutCart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    showtimeId?: string;
                };
            };
        };
        responses: {
            /** @description The checkout already made for these holds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checkout: components["schemas"]["Checkout"];
                    };
                };
            };
            /** @description A new checkout */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checkout: components["schemas"]["Checkout"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description Nothing held to check out */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The holds changed or expired meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Holds of several showtimes: name one */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    listBookings: {
        parameters: {
            query?: {
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of bookings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Booking"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    searchBookings: {
        parameters: {
            query?: {
                showtimeId?: string;
                email?: string;
                reference?: string;
                status?: "confirmed" | "cancelled";
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of bookings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CustomerBooking"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    showtimeBookings: {
        parameters: {
            query?: {
                email?: string;
                reference?: string;
                status?: "confirmed" | "cancelled";
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of bookings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CustomerBooking"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    bookingStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My numbers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        stats: {
                            bookings: number;
                            seats: number;
                            totalSpent: number;
                            cancelled: number;
                            currency: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    getBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The booking */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        booking: components["schemas"]["Booking"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such booking of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    cancelBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled booking */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        booking: components["schemas"]["Booking"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such booking of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It is cancelled already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Too close to the showtime to cancel */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    showtimeAvailability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The availability */
            200: {
                headers: {
                    /** @description Its version: send it back as If-None-Match */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Availability"];
                };
            };
            /** @description Your version (If-None-Match) is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["CredentialsRefused"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    setBlockedSeats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    seats: string[];
                };
            };
        };
        responses: {
            /** @description The blocked seats */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        showtimeId: string;
                        blocked: string[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A seat to block is held or sold */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description A seat is not in the hall */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    setSeatingRules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    noSingleSeats: boolean | null;
                };
            };
        };
        responses: {
            /** @description The rules in force */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        showtimeId: string;
                        noSingleSeats: boolean;
                        isDefault: boolean;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    reportShowtimes: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each showtime, each day and the range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShowtimesReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The range is too long */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    reportMovies: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each movie and the range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        timeZone: string;
                        currency: string | null;
                        movies: ({
                            /** Format: uuid */
                            movieId: string;
                            movieTitle: string;
                            showtimes: number;
                            capacity: number;
                            sold: number;
                            held: number;
                            free: number;
                            blocked: number;
                            /** @description Sold of capacity, per cent */
                            occupancy: number;
                            gross: number;
                            refunds: number;
                            net: number;
                            /** @description Tickets the door admitted */
                            checkedIn: number;
                        } & {
                            [key: string]: unknown;
                        })[];
                        totals: {
                            capacity: number;
                            sold: number;
                            held: number;
                            free: number;
                            blocked: number;
                            /** @description Sold of capacity, per cent */
                            occupancy: number;
                            gross: number;
                            refunds: number;
                            net: number;
                            /** @description Tickets the door admitted */
                            checkedIn: number;
                        } & {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The range is too long */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    reportSalesCsv: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CSV file (header row, a row per seat sold) */
            200: {
                headers: {
                    /** @description attachment; filename="sales-<from>-to-<to>.csv" */
                    "content-disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description More sales than one export carries: ask for fewer days */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    reportReconciliation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Both domains read; every disagreement named */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                        checkedAt: string;
                        bookings: number;
                        payments: number;
                        agree: boolean;
                        disagreements: ({
                            kind: string;
                            bookingId: string | null;
                            /** Format: uuid */
                            paymentId: string;
                            /** Format: uuid */
                            showtimeId: string;
                            message: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        /** @description What events may still be carrying (the last two minutes): not a disagreement yet */
                        settling: {
                            [key: string]: unknown;
                        }[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotAnOperator"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    ticketKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The keys, retired ones too (their tickets still verify) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        algorithm: string;
                        signingKeyId: number;
                        keys: ({
                            keyId: number;
                            publicKey: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    bookingTickets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The booking and its tickets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        booking: {
                            /** Format: uuid */
                            id: string;
                            reference: string | null;
                            status: string;
                        } & {
                            [key: string]: unknown;
                        };
                        tickets: components["schemas"]["Ticket"][];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such booking of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    reissueTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                ticketId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new ticket */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ticket: components["schemas"]["Ticket"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such ticket of my booking */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The booking is cancelled, or the ticket revoked or already admitted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    checkIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    deviceId: string;
                    scanId: string;
                    /** Format: date-time */
                    scannedAt: string;
                    offline?: boolean;
                    /** @enum {string} */
                    localVerdict?: "admitted" | "already-admitted" | "revoked" | "wrong-showtime" | "not-yet-open" | "closed" | "not-a-ticket";
                    /** Format: uuid */
                    showtimeId?: string;
                };
            };
        };
        responses: {
            /** @description The verdict */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checkin: {
                            scanId: string;
                            /** @enum {string} */
                            verdict: "admitted" | "already-admitted" | "revoked" | "wrong-showtime" | "not-yet-open" | "closed" | "not-a-ticket";
                            reason: string;
                            ticket?: {
                                /** Format: uuid */
                                id: string;
                                /** @description A seat id, row and number: C5 */
                                seat: string;
                                /** Format: uuid */
                                showtimeId: string;
                                /** Format: uuid */
                                bookingId: string;
                                reference: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            admitted?: {
                                /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                                at: string;
                                deviceId: string;
                            } & {
                                [key: string]: unknown;
                            };
                            conflict?: boolean;
                            replayed?: boolean;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotDoorStaff"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    showtimeCheckins: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The check-ins */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counts: {
                            tickets: number;
                            admitted: number;
                            scans: number;
                            refused: number;
                            conflicts: number;
                        } & {
                            [key: string]: unknown;
                        };
                        scans: {
                            [key: string]: unknown;
                        }[];
                        conflicts: {
                            [key: string]: unknown;
                        }[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotDoorStaff"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    doorManifest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The manifest: keys, valid tickets, revocations, admissions so far */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        manifest: {
                            showtime: {
                                /** Format: uuid */
                                id: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                            generatedAt: string;
                            keys: ({
                                keyId: number;
                                publicKey: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            tickets: ({
                                /** Format: uuid */
                                id: string;
                                /** @description A seat id, row and number: C5 */
                                seat: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            revoked: string[];
                            admitted: ({
                                /** Format: uuid */
                                ticketId: string;
                                deviceId: string;
                                /** @description An instant, ISO 8601 (2026-12-01T19:30:00.000Z) */
                                at: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            403: components["responses"]["NotDoorStaff"];
            /** @description No such showtime */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    listPayments: {
        parameters: {
            query?: {
                page?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of payments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Payment"][];
                        page: number;
                        pageSize: number;
                        total: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    startPayment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    checkoutId: string;
                };
            };
        };
        responses: {
            /** @description The live payment of this checkout */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentStart"];
                };
            };
            /** @description A new payment attempt */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentStart"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such checkout of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The checkout is paid already, or its holds are gone */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The checkout expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description The checkout cannot be paid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    getPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        payment: components["schemas"]["Payment"];
                        nextStep: components["schemas"]["NextStep"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such payment of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    providerWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Received */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        received: true;
                        /** @enum {string} */
                        outcome: "applied" | "duplicate" | "ignored";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The signature does not hold, or is too old */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description It names no payment of ours */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    testProviderPay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cardNumber: string;
                };
            };
        };
        responses: {
            /** @description The card’s outcome; the provider’s webhook has been delivered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The test provider’s session id: tps_ and 24 hex digits */
                        sessionId: string;
                        /** @enum {string} */
                        outcome: "succeeded" | "failed";
                        reason: string | null;
                        /** @description What our webhook answered */
                        webhookStatus: number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description No such session */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The session is paid or closed already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            /** @description Not a test card */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
        };
    };
    testProviderSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The test provider’s session id: tps_ and 24 hex digits */
                        sessionId: string;
                        amount: number;
                        currency: string;
                        /** @enum {string} */
                        status: "open" | "paid" | "declined" | "refunded";
                        testCards: ({
                            number: string;
                            outcome: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description No such session */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    bookingProof: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingProof"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["NotSignedIn"];
            /** @description No such booking of mine on the ledger */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not final on the chain yet: try again shortly */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
            /** @description The ledger’s replicas are not answering: try again after Retry-After (`unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ledgerGenesis: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The genesis (replicas and their public keys, submitters, rules) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        chainName: string;
                        createdAt: number;
                        replicas: ({
                            id: number;
                            address: string;
                            publicKey: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        submitters: ({
                            name: string;
                            publicKey: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["NotJson"];
            500: components["responses"]["Internal"];
        };
    };
    webApp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page or file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Your copy (If-None-Match) is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a file name or session id (or a URL the gateway cannot decode, in its own words) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description No such file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    webApp2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file of the built app */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page or file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Your copy (If-None-Match) is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a file name or session id (or a URL the gateway cannot decode, in its own words) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description No such file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    webApp3: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The test provider’s session id */
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page or file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Your copy (If-None-Match) is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a file name or session id (or a URL the gateway cannot decode, in its own words) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] | components["schemas"]["GatewayRefusal"];
                };
            };
            /** @description No such file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    apiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: {
                            [key: string]: unknown;
                        };
                        paths: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    apiReference: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reference page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The web app is not built on this stage */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
