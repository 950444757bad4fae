package com.acme.billing.console;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page's header needs: who is signed in (null on public pages for visitors). */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    @ModelAttribute("signedIn")
    ConsolePrincipal signedIn(@AuthenticationPrincipal ConsolePrincipal principal) {
        return principal;
    }
}
