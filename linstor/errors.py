"""Exceptions raised by the linstor client."""


class LinstorError(Exception):
    """Base class of every error the client raises."""

    def __init__(self, msg, more_errors=None):
        super().__init__(msg)
        self._msg = msg
        self._errors = more_errors if more_errors is not None else []

    @property
    def message(self):
        return self._msg

    def all_errors(self):
        return self._errors

    def __str__(self):
        return "Error: {}".format(self._msg)

    def __repr__(self):
        # python-linstor names the base class here, whatever the subclass
        return "LinstorError('{}')".format(self._msg)


class LinstorNetworkError(LinstorError):
    """The controller could not be reached, or the connection broke."""


class LinstorTimeoutError(LinstorError):
    """The controller sent no answer within the timeout."""


class LinstorApiCallError(LinstorError):
    """The controller answered with an error reply (an ApiCallResponse)."""

    def __init__(self, apicallresponse, more_errors=None):
        super().__init__(str(apicallresponse), more_errors)
        self._main_error = apicallresponse

    @property
    def main_error(self):
        return self._main_error


class LinstorArgumentError(LinstorError):
    """An argument cannot be used (bad size string, unsupported by the controller's API version)."""


class LinstorReadOnlyAfterSetError(LinstorError):
    """A property of a high-level object can no longer change once it was set."""

    def __init__(self, msg=None, more_errors=None):
        super().__init__(msg if msg is not None else "After this property got set it is read-only", more_errors)
