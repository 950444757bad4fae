package com.acme.billing.console;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /}: the signed-in role's page, else the pricing page (SPEC 12); {@code /login}: the sign-in form. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal ConsolePrincipal principal) {
        return "redirect:" + (principal == null ? "/pricing" : principal.home());
    }

    @GetMapping("/login")
    String login(@RequestParam(name = "error", required = false) String error,
            @RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
        model.addAttribute("error", error != null);
        model.addAttribute("signedOut", signedOut != null);
        return "login";
    }
}
